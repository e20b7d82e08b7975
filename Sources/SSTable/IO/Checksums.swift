import CDeflate
import CZlib

/// The checksums Cassandra writes: CRC32 (ma+) and Adler32 (jb–la), both as in `java.util.zip`.
/// Computed with libdeflate, which uses the CPU's carry-less multiply and vector units (about 3.5×
/// zlib's CRC32 here); zlib combines checksums of adjacent pieces.
enum Checksum {
    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 { crc32(continuing: 0, bytes) }

    static func adler32(_ bytes: UnsafeRawBufferPointer) -> UInt32 { adler32(continuing: 1, bytes) }

    /// Continues a CRC32 over more bytes.
    static func crc32(continuing crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return crc }
        return libdeflate_crc32(crc, base, bytes.count)
    }

    /// Continues an Adler32 over more bytes.
    static func adler32(continuing sum: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return sum }
        return libdeflate_adler32(sum, base, bytes.count)
    }

    /// The checksum of A followed by B from those of A and B (`length` bytes), without reading
    /// the bytes again.
    static func combine(_ a: UInt32, _ b: UInt32, length: Int, crc32: Bool) -> UInt32 {
        crc32
            ? UInt32(CZlib.crc32_combine(uLong(a), uLong(b), Int(length)))
            : UInt32(CZlib.adler32_combine(uLong(a), uLong(b), Int(length)))
    }
}
