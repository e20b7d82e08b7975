import AWS
import Foundation
import TestSupport
import Testing

/// `migrate` checks what would otherwise fail only after the whole extract (the bucket, the
/// endpoint, the DynamoDB table names) before it reads any SSTable: the run stops at once with one
/// sentence, and the staging folder is never made.
struct PreflightTests {
    static let shop = ["--source", TestPaths.samples + "/shop", "--schema", TestPaths.samples + "/shop.cql"]

    /// Runs `migrate` of the shop sample into `s3` with `extra` arguments; returns the result,
    /// its seconds, and whether the staging folder exists afterwards.
    static func migrate(_ s3: String, _ extra: [String], environment: [String: String]) async throws -> (ProgramResult, Double, Bool) {
        let staging = TempDir("preflight").path + "/stage"
        let started = Date()
        let result = try await runProgram(try TestPaths.binary(), ["migrate"] + shop + [
            "--staging", staging, "--s3", s3, "--mode", "batch", "--yes", "--progress", "none", "--now", "1700000000",
        ] + extra, environment: environment)
        return (result, Date().timeIntervalSince(started), FileManager.default.fileExists(atPath: staging))
    }

    static func environment(_ endpoint: String) -> [String: String] {
        ["AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "AKIDPREFLIGHT", "AWS_SECRET_ACCESS_KEY": "preflightSecret1234",
         "AWS_REGION": MotoServer.region]
    }

    @Test(.enabled(if: MotoServer.shouldRun, "needs moto_server and boto3"))
    func missingBucketFailsBeforeStaging() async throws {
        try await MotoServer.with { moto in
            let (result, _, staged) = try await Self.migrate("s3://absent-bucket/run", [], environment: Self.environment(moto.url))
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr == "cass2dynamo: error: s3://absent-bucket/run: the bucket absent-bucket does not exist (create it, or pass --create-bucket)\n")
            #expect(!staged)
            // With --create-bucket the same run goes through (the check is no stricter than the run).
            let (created, _, _) = try await Self.migrate("s3://absent-bucket/run", ["--create-bucket", "--no-validate"],
                                                         environment: Self.environment(moto.url))
            #expect(created.status == 0, "\(created.stderr)")
        }
    }

    /// moto with authentication on: a wrong secret is refused at the bucket check, and never printed.
    @Test(.enabled(if: MotoServer.shouldRun, "needs moto_server and boto3"))
    func wrongCredentialsFailBeforeStaging() async throws {
        try await MotoServer.withAuthentication { moto, user in
            let keyID = user.accessKeyID
            _ = try await moto.boto3("""
                boto3.client("s3", **dict(_kw, aws_access_key_id=os.environ["KEY_ID"], aws_secret_access_key=os.environ["SECRET"])).create_bucket(Bucket="authed")
                """, environment: ["KEY_ID": user.accessKeyID, "SECRET": user.secretAccessKey])
            let wrongSecret = "WRONGsecretKEYthatMustNotLeak0123456789"
            var environment = Self.environment(moto.url)
            environment["AWS_ACCESS_KEY_ID"] = keyID
            environment["AWS_SECRET_ACCESS_KEY"] = wrongSecret
            let (result, _, staged) = try await Self.migrate("s3://authed/run", [], environment: environment)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr == "cass2dynamo: error: s3://authed/run: access to the bucket authed is denied: check the credentials and the bucket's policy\n")
            #expect(!result.stderr.contains(wrongSecret) && !result.text.contains(wrongSecret))
            #expect(!staged)
        }
    }

    @Test func closedPortFailsFast() async throws {
        let closed = try ClosedPort()
        defer { withExtendedLifetime(closed) {} }
        let port = closed.port
        let (result, seconds, staged) = try await Self.migrate("s3://bucket/run", [], environment: Self.environment("http://127.0.0.1:\(port)"))
        #expect(result.status == 1, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("cass2dynamo: error: cannot reach S3 at http://127.0.0.1:\(port) "), "\(result.stderr)")
        // The cause in the operating system's words, not a dump of NIO's error.
        #expect(lines.first?.hasSuffix("(check --endpoint-url, AWS_ENDPOINT_URL and the network): connection refused") == true, "\(result.stderr)")
        #expect(!result.stderr.contains("preflightSecret1234"))
        // Before the probe transport: 83 s (8 connection attempts of 10 s). 0.2 s on an idle machine;
        // the bound leaves room for a busy CI machine starting the binary (12 s seen once).
        #expect(seconds < 30, "took \(seconds) s")
        #expect(!staged)
    }

    /// A host name that does not resolve is named as such.
    @Test func anUnknownHostSaysSo() async throws {
        let (result, _, staged) = try await Self.migrate("s3://bucket/run", [], environment: Self.environment("http://c2d-absent.invalid:9"))
        #expect(result.stderr == "cass2dynamo: error: cannot reach S3 at http://c2d-absent.invalid:9 (check --endpoint-url, AWS_ENDPOINT_URL and the network): the host name c2d-absent.invalid does not resolve\n",
                "\(result.stderr)")
        #expect(!staged)
    }

    /// S3 answers but DynamoDB (its own endpoint variable) does not: the DynamoDB check stops the run.
    @Test(.enabled(if: MotoServer.shouldRun, "needs moto_server and boto3"))
    func unreachableDynamoDBFailsBeforeStaging() async throws {
        try await MotoServer.with { moto in
            _ = try await moto.boto3("s3.create_bucket(Bucket='reachable')")
            let closed = try ClosedPort()
            defer { withExtendedLifetime(closed) {} }
        defer { withExtendedLifetime(closed) {} }
            let port = closed.port
            var environment = Self.environment(moto.url)
            environment["AWS_ENDPOINT_URL_DYNAMODB"] = "http://127.0.0.1:\(port)"
            let (result, seconds, staged) = try await Self.migrate("s3://reachable/run", [], environment: environment)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.hasPrefix("cass2dynamo: error: cannot reach DynamoDB at http://127.0.0.1:\(port) "), "\(result.stderr)")
            // Before the probe transport: 86 s. See closedPortFailsFast for the bound.
            #expect(seconds < 30, "took \(seconds) s")
            #expect(!staged)
        }
    }

    /// `extract` checks the table names too, before it stages anything.
    @Test func extractChecksTableNames() async throws {
        let out = TempDir("preflight").path + "/stage"
        let prefix = String(repeating: "x", count: 247)
        let result = try await runProgram(try TestPaths.binary(), ["extract"] + Self.shop + ["--out", out, "--table-prefix", prefix])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("cass2dynamo: error: shop.customers: the DynamoDB table name '\(prefix)customers' (--table-prefix + the CQL or the mapping's table name) is invalid"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Table names are checked whole (prefix + CQL name): one over 255 characters stops the run
    /// before any AWS call or SSTable read.
    @Test func tooLongTableNameFailsBeforeExtraction() async throws {
        let prefix = String(repeating: "p", count: 250)
        let closed = try ClosedPort()
        defer { withExtendedLifetime(closed) {} }
        let (result, _, staged) = try await Self.migrate("s3://bucket/run", ["--table-prefix", prefix],
                                                         environment: Self.environment("http://127.0.0.1:\(closed.port)"))
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("cass2dynamo: error: shop.customers: the DynamoDB table name '\(prefix)customers' (--table-prefix + the CQL or the mapping's table name) is invalid: DynamoDB table names are 3 to 255 letters, digits, underscores (_), dots (.) and hyphens (-)"), "\(result.stderr)")
        #expect(!staged)
    }
}
