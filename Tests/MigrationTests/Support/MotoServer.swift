import AWS
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A `moto_server` process on a free loopback port, for integration tests.
struct MotoServer: Sendable {
    /// The port it listens on.
    var port: Int
    /// `http://127.0.0.1:<port>`.
    var url: String { "http://127.0.0.1:\(port)" }
    /// The endpoint for our clients.
    var endpoint: AWSEndpoint { AWSEndpoint(url: url)! }

    /// Credentials that moto accepts while authentication is off.
    static let credentials = AWSCredentials(accessKeyID: "AKIDMOTOTEST", secretAccessKey: "motoSecretKeyForTests/123456")
    static let region = "us-east-1"

    /// Whether `moto_server` and boto3 are installed (checked once).
    static let availability: (available: Bool, reason: String) = {
        guard let motoPath = which("moto_server") else { return (false, "moto_server is not on PATH") }
        guard which("python3") != nil else { return (false, "python3 is not on PATH") }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import boto3, botocore"]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        do { try check.run() } catch { return (false, "python3 cannot run: \(error)") }
        check.waitUntilExit()
        guard check.terminationStatus == 0 else { return (false, "boto3 is not installed for python3") }
        return (true, "moto_server at \(motoPath)")
    }()

    /// True when the integration tests should run: tools present, or CI (where missing tools must fail loudly).
    static var shouldRun: Bool { availability.available || TestPaths.isCI }

    static func which(_ tool: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// A free TCP port on 127.0.0.1 (bound, read, released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw TestFailure("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Starts moto, runs `body`, and always stops moto afterwards.
    static func with<T: Sendable>(environment: [String: String] = [:], _ body: (MotoServer) async throws -> T) async throws -> T {
        guard availability.available else {
            throw TestFailure("integration test needs moto_server and boto3 (pip install \"moto[server]\" boto3): \(availability.reason)")
        }
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // PR_SET_PDEATHSIG (1) with SIGKILL (9): moto dies with the test process, even after a crash.
        process.arguments = [
            "python3", "-c",
            "import ctypes, os, sys; ctypes.CDLL(None).prctl(1, 9); os.execvp('moto_server', ['moto_server'] + sys.argv[1:])",
            "-H", "127.0.0.1", "-p", String(port),
        ]
        var env = ProcessInfo.processInfo.environment
        env["S3_UPLOAD_PART_MIN_SIZE"] = "1024"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("moto-\(port).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        process.standardOutput = logHandle
        process.standardError = logHandle
        let exited = ProcessExit()
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        let server = MotoServer(port: port)
        let result: Result<T, any Error>
        do {
            try await server.waitUntilReady(process: process)
            result = .success(try await body(server))
        } catch {
            result = .failure(error)
        }
        // SIGKILL: processes started from a Swift test inherit a signal mask that blocks SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        await exited.wait()
        try? logHandle.close()
        try? FileManager.default.removeItem(at: log)
        return try result.get()
    }

    private func waitUntilReady(process: Process) async throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            guard process.isRunning else { throw TestFailure("moto_server exited with status \(process.terminationStatus)") }
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
    func boto3(_ snippet: String, environment: [String: String] = [:]) async throws -> Data {
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
        var env = ProcessInfo.processInfo.environment
        env["MOTO_URL"] = url
        for (key, value) in environment { env[key] = value }
        return try await Self.runPython(prelude + snippet, environment: env)
    }

    /// Runs `python3 -c script` without blocking a cooperative thread; throws with stderr on failure.
    static func runPython(_ script: String, environment: [String: String]) async throws -> Data {
        let directory = FileManager.default.temporaryDirectory
        let id = UUID().uuidString
        let outURL = directory.appendingPathComponent("py-\(id).out")
        let errURL = directory.appendingPathComponent("py-\(id).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        process.environment = environment
        process.standardOutput = outHandle
        process.standardError = errHandle
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try? outHandle.close()
        try? errHandle.close()
        let output = (try? Data(contentsOf: outURL)) ?? Data()
        guard status == 0 else {
            let errorText = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
            throw TestFailure("python3 exited with \(status): \(errorText.suffix(2000))")
        }
        return output
    }
}

/// A failure inside test support code.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A one-shot signal that a child process exited, awaitable without blocking a thread.
final class ProcessExit: Sendable {
    private let state = Mutex<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func signal() {
        let waiters = state.withLock { state in
            state.done = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                if state.done { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
