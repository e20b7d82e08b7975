import AWS
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A `moto_server` process on a free loopback port, for integration tests.
public struct MotoServer: Sendable {
    /// The port it listens on.
    public var port: Int
    let process: ChildProcess
    /// What moto printed so far (one line per request).
    public var log: String { process.output }
    /// `http://127.0.0.1:<port>`.
    public var url: String { "http://127.0.0.1:\(port)" }
    /// The endpoint for our clients.
    public var endpoint: AWSEndpoint { AWSEndpoint(url: url)! }

    /// Credentials that moto accepts while authentication is off.
    public static let credentials = AWSCredentials(accessKeyID: "AKIDMOTOTEST", secretAccessKey: "motoSecretKeyForTests/123456")
    public static let region = "us-east-1"

    /// Whether `moto_server` and boto3 are installed (checked once).
    public static let availability: (available: Bool, reason: String) = {
        guard let motoPath = which("moto_server") else { return (false, "moto_server is not on PATH") }
        guard let check = try? runProgramBlocking("python3", ["-c", "import boto3, botocore"]) else { return (false, "python3 cannot run") }
        guard check.status == 0 else { return (false, "boto3 is not installed for python3") }
        return (true, "moto_server at \(motoPath)")
    }()

    /// True when the integration tests should run: tools present, or CI (where missing tools must fail loudly).
    public static var shouldRun: Bool { availability.available || TestPaths.isCI }

    /// Starts moto, runs `body`, and always stops moto afterwards.
    public static func with<T: Sendable>(environment: [String: String] = [:], _ body: (MotoServer) async throws -> T) async throws -> T {
        guard availability.available else {
            throw TestFailure("integration test needs moto_server and boto3 (pip install \"moto[server]\" boto3): \(availability.reason)")
        }
        let port = try freePort()
        var env = environment
        env["S3_UPLOAD_PART_MIN_SIZE"] = env["S3_UPLOAD_PART_MIN_SIZE"] ?? "1024"
        // PR_SET_PDEATHSIG (1) with SIGKILL (9): moto dies with the test process, even after a crash.
        let process = try await ChildProcess(
            try resolve("python3"),
            ["-c", "import ctypes, os, sys; ctypes.CDLL(None).prctl(1, 9); os.execvp('moto_server', ['moto_server'] + sys.argv[1:])",
             "-H", "127.0.0.1", "-p", String(port)],
            environment: env, separateStderr: false)
        let server = MotoServer(port: port, process: process)
        let result: Result<T, any Error>
        do {
            try await server.waitUntilReady()
            result = .success(try await body(server))
        } catch {
            result = .failure(error)
        }
        process.kill()
        await process.wait()
        return try result.get()
    }

    private func waitUntilReady() async throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let status = process.exitStatus { throw TestFailure("moto_server exited with status \(status): \(process.output.suffix(2000))") }
            var request = HTTPClientRequest(url: "\(url)/moto-api/data.json")
            request.method = .GET
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)) {
                _ = try? await response.body.collect(upTo: 1 << 20)
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("moto_server did not answer on port \(port) within 30 s")
    }

    /// Runs a python3 + boto3 snippet against this server and returns its stdout.
    ///
    /// The snippet gets `ddb`, `s3` (low-level boto3 clients for this endpoint, path style, no
    /// retries) and `enc(value)` (bytes → base64, recursively) predefined.
    public func boto3(_ snippet: String, environment: [String: String] = [:]) async throws -> Data {
        let prelude = """
            import os, sys, json, base64, hashlib, boto3
            from botocore.config import Config
            _cfg = Config(retries={"max_attempts": 1, "mode": "standard"}, s3={"addressing_style": "path"},
                          request_checksum_calculation="when_required", response_checksum_validation="when_required")
            _kw = dict(endpoint_url=os.environ["MOTO_URL"], region_name="\(Self.region)",
                       aws_access_key_id="AKIDBOTO3", aws_secret_access_key="boto3secret", config=_cfg)
            ddb = boto3.client("dynamodb", **_kw)
            s3 = boto3.client("s3", **_kw)
            def enc(v):
                if isinstance(v, dict): return {k: enc(x) for k, x in v.items()}
                if isinstance(v, list): return [enc(x) for x in v]
                if isinstance(v, (bytes, bytearray)): return base64.b64encode(bytes(v)).decode()
                return v

            """
        var env: [String: String] = [:]
        env["MOTO_URL"] = url
        for (key, value) in environment { env[key] = value }
        return try await Self.runPython(prelude + snippet, environment: env)
    }

    /// Runs `python3 -c script` without holding a thread; throws with stderr on failure.
    public static func runPython(_ script: String, environment: [String: String] = [:]) async throws -> Data {
        let result = try await runProgram("python3", ["-c", script], environment: environment)
        guard result.status == 0 else { throw TestFailure("python3 exited with \(result.status): \(result.stderr.suffix(2000))") }
        return result.stdout
    }
}

extension MotoServer {
    /// Starts moto with authentication on and one IAM user allowed every DynamoDB and S3 action;
    /// `body` gets the server and that user's credentials. The three requests that create the user
    /// are the only unauthenticated ones.
    public static func withAuthentication<T: Sendable>(_ body: (MotoServer, AWSCredentials) async throws -> T) async throws -> T {
        try await with(environment: ["INITIAL_NO_AUTH_ACTION_COUNT": "3"]) { moto in
            let keys = try await moto.boto3("""
                iam = boto3.client("iam", **_kw)
                iam.create_user(UserName="c2d")
                iam.put_user_policy(UserName="c2d", PolicyName="all", PolicyDocument=json.dumps({"Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": ["dynamodb:*", "s3:*"], "Resource": "*"}]}))
                k = iam.create_access_key(UserName="c2d")["AccessKey"]
                print(json.dumps({"id": k["AccessKeyId"], "secret": k["SecretAccessKey"]}))
                """)
            guard let json = try JSONSerialization.jsonObject(with: keys) as? [String: String], let id = json["id"], let secret = json["secret"] else {
                throw TestFailure("moto did not give the IAM user's access key")
            }
            return try await body(moto, AWSCredentials(accessKeyID: id, secretAccessKey: secret))
        }
    }
}

/// Runs `body`, then awaits every `shutdown` in order, whether `body` threw or not: clients are
/// closed before the test ends, never by a detached task.
public func withShutdown<T>(_ shutdowns: [() async throws -> Void], _ body: () async throws -> T) async throws -> T {
    let result: Result<T, any Error>
    do { result = .success(try await body()) } catch { result = .failure(error) }
    for shutdown in shutdowns { try await shutdown() }
    return try result.get()
}
