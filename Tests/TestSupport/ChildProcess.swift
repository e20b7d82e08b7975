import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, its stdout and stderr written to files.
///
/// Tests do not use Foundation's `Process`: on Linux one monitor thread reaps every `Process`
/// and it blocks in `waitpid` as soon as a child closes its inherited descriptors (sshd and ssh
/// do, at start), so every later `waitUntilExit` in the test run hangs. Here each child is
/// reaped by polling `waitpid(pid, WNOHANG)`, and waiting never holds a cooperative thread.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    /// Where stdout went (stderr too unless `separateStderr`).
    public let stdoutPath: String
    public let stderrPath: String
    private let status = Mutex<Int32?>(nil)

    /// Starts `path` (absolute) with `arguments`; `environment` adds to (or overrides) this process's.
    public init(_ path: String, _ arguments: [String], environment: [String: String] = [:], input: Data? = nil,
                separateStderr: Bool = true) throws {
        let base = NSTemporaryDirectory() + "c2d-child-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        stdoutPath = base + ".out"
        stderrPath = separateStderr ? base + ".err" : stdoutPath
        let inputPath = base + ".in"
        _ = FileManager.default.createFile(atPath: inputPath, contents: input ?? Data())
        defer { unlink(inputPath) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if separateStderr {
            posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        // The test runner blocks some signals (SIGTERM among them); children start with none blocked.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw TestFailure("cannot run \(path): \(String(cString: strerror(rc)))") }
        self.pid = pid
    }

    /// The exit status (128 + signal when killed), or nil while running.
    public var exitStatus: Int32? {
        status.withLock { status in
            if status == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid {
                    status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
                }
            }
            return status
        }
    }

    public var isRunning: Bool { exitStatus == nil }

    /// Waits for the exit without holding a thread.
    @discardableResult
    public func wait() async -> Int32 {
        while true {
            if let status = exitStatus { return status }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Waits for the exit, blocking this thread, at most `seconds`; nil if still running then.
    @discardableResult
    public func waitBlocking(seconds: Double = .infinity) -> Int32? {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if let status = exitStatus { return status }
            usleep(5_000)
        }
        return exitStatus
    }

    /// Sends `signal` if still running.
    public func kill(_ signal: Int32 = SIGKILL) {
        if isRunning { _ = Glibc.kill(pid, signal) }
    }

    /// SIGKILL, then reap.
    public func kill9() async {
        kill()
        await wait()
    }

    /// Stdout so far (with stderr when not separate).
    public var output: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    public var errorOutput: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    public var outputData: Data { FileManager.default.contents(atPath: stdoutPath) ?? Data() }

    deinit {
        if status.withLock({ $0 }) == nil {
            _ = Glibc.kill(pid, SIGKILL)
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        }
        unlink(stdoutPath)
        unlink(stderrPath)
    }
}

/// What a finished program printed.
public struct ProgramResult: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: String
    public var text: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs a program to completion without holding a thread. `path` may be a bare name, found on PATH.
public func runProgram(_ path: String, _ arguments: [String], environment: [String: String] = [:], input: Data? = nil) async throws -> ProgramResult {
    let child = try ChildProcess(resolve(path), arguments, environment: environment, input: input)
    let status = await child.wait()
    return ProgramResult(status: status, stdout: child.outputData, stderr: child.errorOutput)
}

/// Runs a program to completion, blocking this thread (for synchronous tests; keep it short).
public func runProgramBlocking(_ path: String, _ arguments: [String], environment: [String: String] = [:], input: Data? = nil) throws -> ProgramResult {
    let child = try ChildProcess(resolve(path), arguments, environment: environment, input: input)
    let status = child.waitBlocking() ?? -1
    return ProgramResult(status: status, stdout: child.outputData, stderr: child.errorOutput)
}

/// `path` if it has a slash, else its location on PATH.
func resolve(_ path: String) throws -> String {
    if path.contains("/") { return path }
    guard let found = which(path) else { throw TestFailure("\(path) is not on PATH") }
    return found
}

/// A program's location on PATH.
public func which(_ tool: String) -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let path = "\(directory)/\(tool)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// A failure inside test support code.
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
