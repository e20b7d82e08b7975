import Foundation

/// Runs a program (no shell) with posix_spawn and waitpid: stdin from `input`, stdout and
/// stderr to temporary files (no pipes a grandchild could hold open, no run loop to reap).
public enum Subprocess {
    public static func run(_ path: String, _ args: [String], input: Data? = nil) throws -> (status: Int32, stdout: Data, stderr: Data) {
        let base = NSTemporaryDirectory() + "c2d-sp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let (inPath, outPath, errPath) = (base + ".in", base + ".out", base + ".err")
        defer { unlink(inPath); unlink(outPath); unlink(errPath) }
        _ = FileManager.default.createFile(atPath: inPath, contents: input ?? Data(), attributes: [.posixPermissions: 0o600])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + args).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard rc == 0 else { throw AgentError("cannot run \(path): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let out = FileManager.default.contents(atPath: outPath) ?? Data()
        let err = FileManager.default.contents(atPath: errPath) ?? Data()
        return (code, out, err)
    }
}
