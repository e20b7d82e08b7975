import Foundation
import Subprocess
import SystemPackage

/// Runs commands on a node and copies files from it with the system OpenSSH clients
/// (`ssh`, `sftp`): key-only (BatchMode), host keys checked, no shell on our side.
public struct SSHClient: Sendable {
    public var node: RemoteNode
    /// The agent's known_hosts, used when the node names none (first connection records the key).
    public var knownHosts: String
    public var connectTimeout: Int = 10

    public init(node: RemoteNode, knownHosts: String) { self.node = node; self.knownHosts = knownHosts }

    var options: [String] {
        var o = ["-o", "BatchMode=yes", "-o", "ConnectTimeout=\(connectTimeout)", "-o", "IdentitiesOnly=yes", "-i", node.identityFile,
                 "-o", "LogLevel=ERROR", "-o", "ServerAliveInterval=15"]
        if let k = node.knownHostsFile {
            o += ["-o", "UserKnownHostsFile=\(k)", "-o", "StrictHostKeyChecking=yes"]
        } else {
            o += ["-o", "UserKnownHostsFile=\(knownHosts)", "-o", "StrictHostKeyChecking=accept-new"]
        }
        return o
    }

    var destination: String { "\(node.user)@\(node.host)" }

    public struct Output: Sendable {
        public var status: Int32
        public var stdout: Data
        public var stderr: String
        public var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs `command` (a shell command line on the node), feeding `input` on stdin.
    public func run(_ command: String, input: Data? = nil) async throws -> Output {
        try await Self.process("/usr/bin/ssh", options + ["-p", "\(node.port ?? 22)", destination, "--", command], input: input)
    }

    /// Runs `command` and fails with its stderr when it exits non-zero.
    public func check(_ command: String, input: Data? = nil) async throws -> Output {
        let out = try await run(command, input: input)
        guard out.status == 0 else {
            let why = out.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            throw AgentError("node \(node.name): `\(command.prefix(80))` failed (exit \(out.status))\(why.isEmpty ? "" : ": \(why.prefix(300))")")
        }
        return out
    }

    /// Copies remote files to local paths with one `sftp` session.
    public func download(_ files: [(remote: String, local: String)]) async throws {
        guard !files.isEmpty else { return }
        var batch = ""
        for f in files {
            try FileManager.default.createDirectory(atPath: (f.local as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            batch += "get \(Self.sftpQuote(f.remote)) \(Self.sftpQuote(f.local))\n"
        }
        let out = try await Self.process("/usr/bin/sftp", options + ["-P", "\(node.port ?? 22)", "-b", "-", destination], input: Data(batch.utf8))
        guard out.status == 0 else { throw AgentError("node \(node.name): sftp failed (exit \(out.status)): \(out.stderr.prefix(300))") }
    }

    /// A shell word: single-quoted.
    public static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
    static func sftpQuote(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }

    /// Runs a program (no shell) and collects its output. Its stdin, stdout and stderr are
    /// temporary files, not pipes: a grandchild holding a descriptor open cannot stall the run.
    static func process(_ path: String, _ args: [String], input: Data?) async throws -> Output {
        let base = NSTemporaryDirectory() + "c2d-sp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let (inPath, outPath, errPath) = (base + ".in", base + ".out", base + ".err")
        defer { unlink(inPath); unlink(outPath); unlink(errPath) }
        _ = FileManager.default.createFile(atPath: inPath, contents: input ?? Data(), attributes: [.posixPermissions: 0o600])
        var files: [FileDescriptor] = []
        defer { for file in files { try? file.close() } }
        let status: TerminationStatus
        do {
            files.append(try FileDescriptor.open(FilePath(inPath), .readOnly))
            for output in [outPath, errPath] {
                files.append(try FileDescriptor.open(FilePath(output), .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite))
            }
            status = try await Subprocess.run(
                .path(FilePath(path)), arguments: Arguments(args),
                input: .fileDescriptor(files[0], closeAfterSpawningProcess: false),
                output: .fileDescriptor(files[1], closeAfterSpawningProcess: false),
                error: .fileDescriptor(files[2], closeAfterSpawningProcess: false)
            ).terminationStatus
        } catch {
            throw AgentError("cannot run \(path): \(error)")
        }
        let code: Int32 = switch status {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
        let stdout = FileManager.default.contents(atPath: outPath) ?? Data()
        let stderr = FileManager.default.contents(atPath: errPath) ?? Data()
        return Output(status: code, stdout: stdout, stderr: String(decoding: stderr, as: UTF8.self))
    }
}
