#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened for positional reads (`pread`); closed when released.
final class ReadOnlyFile {
    let path: String
    let size: Int64
    private let fd: Int32

    init(_ path: String) throws(SSTableError) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SSTableError(path: path, "cannot open: \(ReadOnlyFile.errnoText())") }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            throw SSTableError(path: path, "cannot stat: \(ReadOnlyFile.errnoText())")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw SSTableError(path: path, "not a regular file")
        }
        size = Int64(st.st_size)
    }

    deinit { close(fd) }

    /// Reads exactly `count` bytes at `offset` into `buffer` starting at `index`.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(SSTableError) {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw SSTableError(path: path, offset: offset + Int64(done), "read failed: \(ReadOnlyFile.errnoText())")
            }
            if n == 0 { throw SSTableError(path: path, offset: offset + Int64(done), "unexpected end of file") }
            done += n
        }
    }

    /// Reads the whole file (for small components: CompressionInfo, Statistics, TOC).
    func readAll(limit: Int64 = 1 << 30) throws(SSTableError) -> [UInt8] {
        guard size <= limit else { throw SSTableError(path: path, "file is too large (\(size) bytes)") }
        return try bytes(at: 0, count: Int(size))
    }

    /// `count` bytes at `offset`, in an array of their own.
    func bytes(at offset: Int64, count: Int) throws(SSTableError) -> [UInt8] {
        guard offset + Int64(count) <= size else {
            throw SSTableError(path: path, offset: offset, "\(count) bytes run past the end of the file (\(size) bytes): it is truncated")
        }
        var bytes = [UInt8](repeating: 0, count: count)
        var failure: SSTableError?
        bytes.withUnsafeMutableBytes { raw in
            do throws(SSTableError) { try read(into: raw, at: offset) } catch { failure = error }
        }
        if let failure { throw failure }
        return bytes
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    /// True if a file or folder exists at `path`.
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// True if `path` is a folder.
    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Names in a folder, sorted; throws if it cannot be listed.
    static func list(_ path: String) throws(SSTableError) -> [String] {
        guard let dir = opendir(path) else {
            throw SSTableError(path: path, "cannot list folder: \(errnoText())")
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
