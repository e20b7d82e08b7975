import AWS
import Foundation
import NIOCore
import Synchronization
import TestSupport
import Testing

/// Web identity credentials (EKS IRSA) from moto's STS `AssumeRoleWithWebIdentity`.
@Suite(.enabled(if: MotoServer.shouldRun, "moto_server or boto3 missing; install with pip install \"moto[server]\" boto3"))
struct WebIdentityTests {
    static let role = "arn:aws:iam::123456789012:role/c2d-loader"
    static let token = "eyJhbGciOiJSUzI1NiJ9.webIdentityTokenThatMustNotLeak.signature"

    /// STS requests in moto's log: the only `POST /` lines, since S3 calls are PUT, GET and HEAD.
    static func stsCalls(_ moto: MotoServer) -> Int {
        moto.log.split(separator: "\n").filter { $0.contains("\"POST / HTTP/1.1\" 200") }.count
    }

    @Test func resolvedFromTheEnvironmentAndUsedForS3() async throws {
        let folder = TempDir("web-identity")
        let tokenFile = folder.path + "/token"
        try Self.token.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try await MotoServer.with { moto in
            let resolver = AWSConfigurationResolver(environment: AWSEnvironment(variables: [
                "HOME": folder.path, "AWS_REGION": MotoServer.region, "AWS_ENDPOINT_URL": moto.url,
                "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": Self.role, "AWS_ROLE_SESSION_NAME": "c2d-test",
            ]))
            let s3 = try S3Client(resolver: resolver)
            try await withShutdown([s3.shutdown]) {
                try await s3.createBucket("web-identity")
                try await s3.putObject(bucket: "web-identity", key: "a.json", body: ByteBuffer(string: "{}"))
                #expect(Array(try await s3.getObject(bucket: "web-identity", key: "a.json").body.readableBytesView) == Array("{}".utf8))
            }
            #expect(Self.stsCalls(moto) == 1)
            let credentials = try await s3.transport.credentialProvider.credentials()
            #expect(credentials.accessKeyID.hasPrefix("ASIA") && credentials.sessionToken != nil)
            #expect(credentials.source == "web identity (role \(Self.role))")
            #expect(!credentials.description.contains(credentials.secretAccessKey))
            #expect(Self.stsCalls(moto) == 1)
        }
    }

    @Test func refreshesFiveMinutesBeforeExpiryAndRereadsTheToken() async throws {
        let folder = TempDir("web-identity")
        let tokenFile = folder.path + "/token"
        try Self.token.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try await MotoServer.with { moto in
            let tokens = Mutex<[String]>([])
            let source = WebIdentityCredentialSource(roleARN: Self.role, sessionName: "refresh", tokenFile: tokenFile, endpoint: moto.endpoint) {
                let text = AWSEnvironment.readFromDisk($0)
                tokens.withLock { $0.append(text ?? "") }
                return text
            }
            let clock = Mutex(AmzDate.now().epochSeconds)
            let provider = source.provider { AmzDate(epochSeconds: clock.withLock { $0 }) }
            let first = try await provider.credentials()
            let expiration = try #require(first.expiration).epochSeconds
            #expect(Self.stsCalls(moto) == 1)

            clock.withLock { $0 = expiration - 301 }
            #expect(try await provider.credentials() == first)
            #expect(Self.stsCalls(moto) == 1)

            try "rotatedToken".write(toFile: tokenFile, atomically: true, encoding: .utf8)
            clock.withLock { $0 = expiration - 299 }
            let second = try await provider.credentials()
            #expect(Self.stsCalls(moto) == 2)
            #expect(second.accessKeyID != first.accessKeyID)
            #expect(tokens.withLock { $0 } == [Self.token, "rotatedToken"])
        }
    }

    @Test func stsErrorsAreOneLineWithCodeAndWithoutTheToken() async throws {
        let folder = TempDir("web-identity")
        let tokenFile = folder.path + "/token"
        try Self.token.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try await CredentialsEndpoint.with(expectedTokenFile: tokenFile) { endpoint in
            let source = WebIdentityCredentialSource(roleARN: Self.role, sessionName: "s", tokenFile: tokenFile,
                                                     endpoint: AWSEndpoint(url: endpoint.url)!)
            let error = try await #require(throws: AWSConfigurationError.self) { try await source.fetch() }
            #expect(error.message == "STS AssumeRoleWithWebIdentity for \(Self.role) at \(endpoint.url) failed: "
                + "InvalidIdentityToken: Token is expired or revoked")
            #expect(endpoint.requests == ["POST / auth=None"])

            let missing = WebIdentityCredentialSource(roleARN: Self.role, sessionName: "s", tokenFile: folder.path + "/absent",
                                                      endpoint: AWSEndpoint(url: endpoint.url)!)
            let unreadable = try await #require(throws: AWSConfigurationError.self) { try await missing.fetch() }
            #expect(unreadable.message == "the web identity token file \(folder.path)/absent cannot be read or is empty")
        }
    }
}
