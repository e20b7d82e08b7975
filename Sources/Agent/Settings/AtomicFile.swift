import Foundation

/// Crash-safe file replacement: write a temporary file, fsync it, rename it over the target,
/// fsync the folder. A reader (or a restarted agent after `kill -9`) sees the old or the new
/// file, never a torn one.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws {
        let tmp = path + ".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw AgentError("cannot create \(tmp): \(String(cString: strerror(errno)))") }
        var ok = true
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 { if errno == EINTR { continue }; ok = false; return }
                done += n
            }
        }
        if ok && fsync(fd) != 0 { ok = false }
        fchmod(fd, mode)
        close(fd)
        guard ok, rename(tmp, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(tmp)
            throw AgentError("cannot write \(path): \(message)")
        }
        let dir = (path as NSString).deletingLastPathComponent
        let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }
}
