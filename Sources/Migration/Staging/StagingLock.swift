import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on a staging folder, held while a run reads or writes it: `<folder>/.lock`,
/// locked with an open-file-description `fcntl` lock (`F_OFD_SETLK`) and holding the holder's
/// PID. A second run — another process, or another task of the same agent process — is refused
/// at once, naming that PID. The kernel drops the lock when its holder dies, so the lock file of
/// a crashed run is simply taken over. A process forked by another thread holds a copy of the
/// descriptor (and so the lock) until its `exec`, even after the holder has closed it: a held
/// lock is tried again for up to a second before the run is refused.
public final class StagingLock: @unchecked Sendable {
    public static let fileName = ".lock"
    /// Tries 50 ms apart: a lock held only by a forked child before its `exec` is free by then.
    private static let attempts = 20
    /// Linux's `F_OFD_SETLK` (not exported by Swift's Glibc module).
    private static let ofdSetLock: Int32 = 37
    private let fd: Int32
    public let path: String

    /// Takes the lock, creating the folder if needed; throws when another run holds it.
    public init(folder: String) throws {
        try FileSystem.makeFolder(folder)
        path = folder + "/" + Self.fileName
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StagingError("\(path): cannot open the staging folder's lock: \(String(cString: strerror(errno)))") }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        var attempts = 0
        while fcntl(fd, Self.ofdSetLock, &lock) != 0 {
            let reason = errno
            attempts += 1
            if (reason == EAGAIN || reason == EACCES), attempts < Self.attempts {
                usleep(50_000)
                continue
            }
            let holder = Self.holder(fd)
            close(fd)
            if reason == EAGAIN || reason == EACCES {
                throw StagingError("staging folder \(folder) is in use by another run\(holder.map { " (pid \($0))" } ?? ""); wait for it to finish or stop it")
            }
            throw StagingError("\(path): cannot lock the staging folder: \(String(cString: strerror(reason)))")
        }
        let pid = Array("\(getpid())\n".utf8)
        guard ftruncate(fd, 0) == 0, pwrite(fd, pid, pid.count, 0) == pid.count else {
            close(fd)
            throw StagingError("\(path): cannot write the staging folder's lock")
        }
    }

    deinit { close(fd) }

    /// The PID written by the lock's holder, if it wrote one.
    private static func holder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &buffer, buffer.count, 0)
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
