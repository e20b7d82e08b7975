import Foundation

/// Crash-safe file replacement: a temporary file beside the target, fsync, rename over the
/// target, fsync of the folder. A reader, or a process restarted after `kill -9`, sees the old
/// or the new file, never a torn one.
public enum AtomicFile {
    /// Replaces `path` with `bytes`, the file getting exactly `mode` whatever the umask.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws {
        let temporary = path + ".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw StagingError("\(temporary): cannot create: \(FileSystem.writeFailure(errno))") }
        do {
            try FileSystem.writeAll(fd, bytes, path: temporary)
            guard fchmod(fd, mode) == 0, fsync(fd) == 0 else {
                throw StagingError("\(temporary): cannot write: \(FileSystem.writeFailure(errno))")
            }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw StagingError("\(path): cannot replace: \(reason)")
        }
        FileSystem.syncFolder(of: path)
    }
}
