import CZlib

/// The checksums Cassandra writes: CRC32 (ma+) and Adler32 (jb–la), both as in `java.util.zip`.
enum Checksum {
    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return 0 }
        return UInt32(CZlib.crc32(0, base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
    }

    static func adler32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return 1 }
        return UInt32(CZlib.adler32(1, base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
    }
}

extension Checksum {
    /// Continues a CRC32 over more bytes.
    static func crc32(continuing crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return crc }
        return UInt32(CZlib.crc32(uLong(crc), base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
    }
}

extension Checksum {
    /// Continues an Adler32 over more bytes.
    static func adler32(continuing sum: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return sum }
        return UInt32(CZlib.adler32(uLong(sum), base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
    }
}
