#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file created for writing, with a large buffer; `close()` flushes and reports errors.
final class OutputFile {
    let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let flushSize = 1 << 20
    /// Bytes written so far (buffered included).
    private(set) var position: Int64 = 0

    init(_ path: String) throws(SSTableError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SSTableError(path: path, "cannot create: \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(flushSize + 65536)
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    /// Buffers bytes; `flushIfFull()` writes them out.
    func buffer(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
        position += Int64(bytes.count)
    }

    func flushIfFull() throws(SSTableError) {
        if buffer.count >= flushSize { try flush() }
    }

    func write(_ bytes: [UInt8]) throws(SSTableError) {
        bytes.withUnsafeBytes { buffer($0) }
        try flushIfFull()
    }

    func flush() throws(SSTableError) {
        var written = 0
        while written < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SSTableError(path: path, "cannot write: \(String(cString: strerror(errno)))")
            }
            written += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws(SSTableError) {
        try flush()
        let rc = Glibc.close(fd)
        fd = -1
        if rc != 0 { throw SSTableError(path: path, "cannot close: \(String(cString: strerror(errno)))") }
    }

    /// Writes a whole small file.
    static func write(_ bytes: [UInt8], to path: String) throws(SSTableError) {
        let f = try OutputFile(path)
        try f.write(bytes)
        try f.close()
    }
}
