import AWS
import Foundation
import TestSupport
import Testing

/// Runs the official AWS SigV4 test suite and the botocore-computed `extra/` vectors.
///
/// Every case of both sets is applicable and runs. Notes on two official cases:
/// - `get-vanilla-with-session-token`: the `.req` has no token; the signer adds and signs
///   `X-Amz-Security-Token` from the credentials. Its `.sreq` is known to be wrong (see the README),
///   so only `.creq`, `.sts` and `.authz` are compared, as for every case.
/// - `post-sts-token/post-sts-header-after`: the token is added after signing, which is equivalent
///   to signing without a session token; our signer always signs a token it is given (DynamoDB and
///   S3 require that), so this case is signed with token-less credentials.
@Suite struct SigV4VectorTests {
    struct Vector: CustomStringConvertible, Sendable {
        var name: String
        var directory: URL
        var description: String { name }
    }

    static let officialToken = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"

    static func allVectors() -> [Vector] {
        let root = TestPaths.sigv4Vectors
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var vectors: [Vector] = []
        for case let url as URL in enumerator where url.pathExtension == "req" {
            let directory = url.deletingLastPathComponent()
            let relative = String(directory.path.dropFirst(root.path.count + 1))
            vectors.append(Vector(name: relative, directory: directory))
        }
        return vectors.sorted { $0.name < $1.name }
    }

    @Test(.enabled(if: !allVectors().isEmpty || TestPaths.isCI, "needs the SigV4 vectors in ../shared/testdata/sigv4"))
    func vectorSetIsComplete() throws {
        let vectors = Self.allVectors()
        #expect(vectors.count == 40, "34 official + 6 extra vectors expected, found \(vectors.count)")
        #expect(vectors.filter { $0.name.hasPrefix("extra/") }.count == 6)
    }

    @Test(arguments: allVectors())
    func vector(_ vector: Vector) throws {
        let base = vector.directory.appendingPathComponent(vector.directory.lastPathComponent)
        func read(_ ext: String) throws -> String {
            try String(contentsOf: base.appendingPathExtension(ext), encoding: .utf8)
        }
        let request = try RawRequest(parsing: try read("req"))
        var region = "us-east-1"
        var service = "service"
        var token: String?
        var payloadHash = SigV4Signer.payloadHash(Array(request.body.utf8))
        if vector.name.hasPrefix("extra/") {
            let contextData = try Data(contentsOf: vector.directory.appendingPathComponent("context.json"))
            let context = try #require(try JSONSerialization.jsonObject(with: contextData) as? [String: Any])
            region = try #require(context["region"] as? String)
            service = try #require(context["service"] as? String)
            token = context["session_token"] as? String
            payloadHash = try #require(context["payload_hash"] as? String)
        } else if vector.name == "get-vanilla-with-session-token" {
            token = Self.officialToken
        }
        let credentials = AWSCredentials(
            accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: token)
        let signer = SigV4Signer(credentials: credentials, region: region, service: service)
        let dateHeader = try #require(request.headers.first { $0.0.lowercased() == "x-amz-date" }?.1)
        let date = try #require(AmzDate(amzString: dateHeader))

        let parts = signer.canonicalParts(
            method: request.method, path: request.path, query: request.query, headers: request.headers,
            payloadHash: payloadHash, date: date)
        #expect(parts.canonicalRequest == (try read("creq")), "canonical request")
        #expect(signer.stringToSign(canonicalRequest: parts.canonicalRequest, date: date) == (try read("sts")), "string to sign")
        let added = signer.sign(
            method: request.method, path: request.path, query: request.query, headers: request.headers,
            payloadHash: payloadHash, date: date)
        #expect(added.last?.0 == "authorization")
        #expect(added.last?.1 == (try read("authz")), "authorization")
    }

    @Test func credentialsNeverShowTheSecret() {
        let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "s3cr3t/KEY", sessionToken: "tok3n")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in [credentials.description, credentials.debugDescription, "\(credentials)", String(reflecting: credentials), dumped] {
            #expect(!text.contains("s3cr3t"))
            #expect(!text.contains("tok3n"))
            #expect(text.contains("AKIDEXAMPLE"))
        }
    }

    @Test func amzDateRoundTrips() throws {
        let date = try #require(AmzDate(amzString: "20150830T123600Z"))
        #expect(date.epochSeconds == 1_440_938_160)
        #expect(date.amzString == "20150830T123600Z")
        #expect(date.dateStamp == "20150830")
        #expect(AmzDate(epochSeconds: 951_782_400).amzString == "20000229T000000Z")
        #expect(AmzDate(amzString: "2015-08-30") == nil)
    }
}

/// A request in the test suite's `.req` format.
struct RawRequest {
    var method: String
    var path: String
    var query: [(String, String)]
    var headers: [(String, String)]
    var body: String

    init(parsing text: String) throws {
        var head = text
        body = ""
        if let range = text.range(of: "\n\n") {
            head = String(text[..<range.lowerBound])
            body = String(text[range.upperBound...])
        }
        var lines = head.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        let requestLine = lines.removeFirst()
        let firstSpace = try #require(requestLine.firstIndex(of: " "))
        let lastSpace = try #require(requestLine.lastIndex(of: " "))
        method = String(requestLine[..<firstSpace])
        let target = String(requestLine[requestLine.index(after: firstSpace)..<lastSpace])
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            let rawQuery = target[target.index(after: mark)...]
            query = rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = String(parts[0]).removingPercentEncoding ?? String(parts[0])
                let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
                return (key, value)
            }
        } else {
            path = target
            query = []
        }
        headers = []
        for line in lines {
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].1 += " " + line.trimmingCharacters(in: .whitespaces)
                continue
            }
            let colon = try #require(line.firstIndex(of: ":"))
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
        }
    }
}
