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

extension Checksum {
    /// The checksum of A followed by B from those of A and B (`length` bytes), without reading
    /// the bytes again.
    static func combine(_ a: UInt32, _ b: UInt32, length: Int, crc32: Bool) -> UInt32 {
        crc32
            ? UInt32(CZlib.crc32_combine(uLong(a), uLong(b), Int(length)))
            : UInt32(CZlib.adler32_combine(uLong(a), uLong(b), Int(length)))
    }
}
