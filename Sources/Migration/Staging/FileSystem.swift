import CoreFoundation
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Small POSIX file helpers: whole-file reads and writes, folders (``AtomicFile`` replaces files).
enum FileSystem {
    /// Makes a rename in the folder of `path` durable.
    static func syncFolder(of path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        let dfd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                throw StagingError("\(path): write failed: \(writeFailure(errno))")
            }
            written += n
        }
    }

    /// Why a write failed, with what to do when the disk is full.
    static func writeFailure(_ code: Int32) -> String {
        code == ENOSPC ? "the disk is full (free some space, or stage to another folder, and run the same command again)"
            : String(cString: strerror(code))
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { try writeAll(fd, $0, path: path) }
    }

    /// Reads a whole file.
    static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StagingError("\(path): cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = Glibc.stat()
        guard fstat(fd, &st) == 0 else { throw StagingError("\(path): stat failed") }
        var out = [UInt8](repeating: 0, count: Int(st.st_size))
        var done = 0
        while done < out.count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, $0.count - done, off_t(done)) }
            if n < 0 { if errno == EINTR { continue }; throw StagingError("\(path): read failed: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            done += n
        }
        if done < out.count { out.removeSubrange(done...) }
        return out
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// The size of a file, nil when it cannot be read.
    static func size(_ path: String) -> Int64? {
        var st = Glibc.stat()
        return stat(path, &st) == 0 ? Int64(st.st_size) : nil
    }

    static func makeFolder(_ path: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw StagingError("\(path): cannot create folder: \(error.localizedDescription)")
        }
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    static func list(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }
}
