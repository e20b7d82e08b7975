import CLZ4
import CSnappy
import CZlib
import CZstd

/// The compressors Cassandra can name in CompressionInfo.db, decoding with the reference C libraries.
public enum ChunkCompressor: String, Sendable {
    case lz4 = "LZ4Compressor"
    case snappy = "SnappyCompressor"
    case deflate = "DeflateCompressor"
    case zstd = "ZstdCompressor"
    case noop = "NoopCompressor"

    /// Accepts simple (`LZ4Compressor`) and fully-qualified class names.
    public init?(className: String) {
        let simple = className.split(separator: ".").last.map(String.init) ?? className
        self.init(rawValue: simple)
    }

    /// Decompresses one chunk into `output`; returns the number of bytes written, or nil when the
    /// chunk is corrupt or does not fit.
    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        guard let dst = output.baseAddress else { return nil }
        let src = input.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        switch self {
        case .lz4:
            // A 4-byte little-endian uncompressed length, then one LZ4 block.
            guard input.count >= 4 else { return nil }
            let declared = Int(UInt32(littleEndian: input.loadUnaligned(as: UInt32.self)))
            guard declared <= output.count else { return nil }
            if declared == 0 { return 0 }
            let n = LZ4_decompress_safe(
                (src + 4).assumingMemoryBound(to: CChar.self), dst.assumingMemoryBound(to: CChar.self),
                Int32(input.count - 4), Int32(declared))
            return n == Int32(declared) ? declared : nil
        case .snappy:
            var length = 0
            guard snappy_uncompressed_length(src.assumingMemoryBound(to: CChar.self), input.count, &length) == SNAPPY_OK,
                length <= output.count
            else { return nil }
            var outLength = output.count
            guard snappy_uncompress(
                src.assumingMemoryBound(to: CChar.self), input.count, dst.assumingMemoryBound(to: CChar.self), &outLength)
                == SNAPPY_OK
            else { return nil }
            return outLength
        case .deflate:
            var outLength = uLongf(output.count)
            let rc = uncompress(dst.assumingMemoryBound(to: Bytef.self), &outLength,
                                src.assumingMemoryBound(to: Bytef.self), uLong(input.count))
            return rc == Z_OK ? Int(outLength) : nil
        case .zstd:
            let n = ZSTD_decompress(dst, output.count, src, input.count)
            return ZSTD_isError(n) != 0 ? nil : n
        case .noop:
            guard input.count <= output.count else { return nil }
            if input.count > 0 { dst.copyMemory(from: src, byteCount: input.count) }
            return input.count
        }
    }
}
