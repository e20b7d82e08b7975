import Foundation
import Subprocess
import Synchronization
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with swift-subprocess, its stdout and stderr written to files that
/// tests read while it runs.
///
/// Tests do not use Foundation's `Process`: on Linux one monitor thread reaps every `Process`
/// and it blocks in `waitpid` as soon as a child closes its inherited descriptors (sshd and ssh
/// do, at start), so every later `waitUntilExit` in the test run hangs. Subprocess watches each
/// child through its own pidfd.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    /// Where stdout went (stderr too unless `separateStderr`).
    public let stdoutPath: String
    public let stderrPath: String
    private let status = ExitStatus()
    private let run: Task<Int32, any Error>

    /// Starts `path` (absolute) with `arguments`; `environment` adds to (or overrides) this process's.
    public init(_ path: String, _ arguments: [String], environment: [String: String] = [:], input: Data? = nil,
                separateStderr: Bool = true) async throws {
        let base = NSTemporaryDirectory() + "c2d-child-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        stdoutPath = base + ".out"
        stderrPath = separateStderr ? base + ".err" : stdoutPath
        let inputPath = base + ".in"
        _ = FileManager.default.createFile(atPath: inputPath, contents: input ?? Data())
        defer { unlink(inputPath) }
        let stdin = try FileDescriptor.open(inputPath, .readOnly)
        // Appending: with stderr merged, both descriptors write at the end of one file.
        let stdout = try FileDescriptor.open(stdoutPath, .writeOnly, options: [.create, .truncate, .append], permissions: [.ownerReadWrite])
        let stderr = try FileDescriptor.open(stderrPath, .writeOnly, options: separateStderr ? [.create, .truncate, .append] : [.append],
                                             permissions: [.ownerReadWrite])
        var overrides: [Subprocess.Environment.Key: String?] = [:]
        for (key, value) in environment { overrides[Subprocess.Environment.Key(rawValue: key)!] = value }
        let started = AsyncThrowingStream<pid_t, any Error>.makeStream()
        let status = self.status
        run = Task {
            do {
                let result = try await Subprocess.run(
                    .path(FilePath(path)), arguments: Arguments(arguments), environment: .inherit.updating(overrides),
                    input: .fileDescriptor(stdin, closeAfterSpawningProcess: true),
                    output: .fileDescriptor(stdout, closeAfterSpawningProcess: true),
                    error: .fileDescriptor(stderr, closeAfterSpawningProcess: true)
                ) { execution in
                    started.continuation.yield(execution.processIdentifier.value)
                }
                let code: Int32 = switch result.terminationStatus {
                case .exited(let code): code
                case .signaled(let signal): 128 + signal
                }
                status.value.withLock { $0 = code }
                return code
            } catch {
                started.continuation.finish(throwing: error)
                throw error
            }
        }
        var pids = started.stream.makeAsyncIterator()
        guard let pid = try await pids.next() else { throw TestFailure("cannot run \(path)") }
        self.pid = pid
    }

    /// The exit status (128 + signal when killed), or nil while running.
    public var exitStatus: Int32? { status.value.withLock { $0 } }

    public var isRunning: Bool { exitStatus == nil }

    /// Waits for the exit (-1 if the process could not be watched).
    @discardableResult
    public func wait() async -> Int32 {
        (try? await run.value) ?? -1
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
        // Subprocess reaps it once it has died.
        kill()
        unlink(stdoutPath)
        unlink(stderrPath)
    }
}

/// A child's exit status once known, shared with the task that watches it.
private final class ExitStatus: Sendable {
    let value = Mutex<Int32?>(nil)
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
    let child = try await ChildProcess(resolve(path), arguments, environment: environment, input: input)
    let status = await child.wait()
    return ProgramResult(status: status, stdout: child.outputData, stderr: child.errorOutput)
}

/// Runs a program to completion, blocking this thread (for synchronous checks such as test
/// traits; keep it short).
///
/// Not through Subprocess: it is async only and its continuations resume on the cooperative
/// pool, so a synchronous caller that blocks a pool thread until the child ends deadlocks once
/// every pool thread does so (two on a 2-core machine: seen with two PartCompressionTests, even
/// with the run's task preferring an executor thread of its own). Here the child is spawned with
/// `posix_spawn` and waited for with `waitpid`, on the caller's thread alone.
public func runProgramBlocking(_ path: String, _ arguments: [String], environment: [String: String] = [:], input: Data? = nil) throws -> ProgramResult {
    let path = try resolve(path)
    let base = NSTemporaryDirectory() + "c2d-run-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    let (inputPath, stdoutPath, stderrPath) = (base + ".in", base + ".out", base + ".err")
    _ = FileManager.default.createFile(atPath: inputPath, contents: input ?? Data())
    defer { for file in [inputPath, stdoutPath, stderrPath] { unlink(file) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    // The test runner blocks some signals (SIGTERM among them); the child starts with none blocked.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for p in argv + envp { free(p) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
    guard rc == 0 else { throw TestFailure("cannot run \(path): \(String(cString: strerror(rc)))") }
    var raw: Int32 = 0
    while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
    let status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    return ProgramResult(status: status, stdout: FileManager.default.contents(atPath: stdoutPath) ?? Data(),
                         stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "")
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
