#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A local file opened for positional reads (`pread`); closed when released.
final class ReadOnlyFile: RandomAccessSource {
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

    /// Reads exactly `buffer.count` bytes at `offset` into `buffer`.
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
