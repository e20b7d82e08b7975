import CLZ4
import CSnappy
import CZlib
import CZstd

extension ChunkCompressor {
    /// Compresses one chunk the way Cassandra's compressor of this name writes it (LZ4: a 4-byte
    /// little-endian length, then an LZ4 block), replacing the contents of `output`.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        let src = input.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        switch self {
        case .lz4:
            let bound = Int(LZ4_compressBound(Int32(input.count))) + 4
            Self.ensureCount(&output, bound)
            let n = output.withUnsafeMutableBytes { dst in
                let length = UInt32(input.count)
                for i in 0..<4 { dst[i] = UInt8(truncatingIfNeeded: length >> UInt32(8 * i)) }
                return LZ4_compress_default(
                    src.assumingMemoryBound(to: CChar.self), (dst.baseAddress! + 4).assumingMemoryBound(to: CChar.self),
                    Int32(input.count), Int32(dst.count - 4))
            }
            output.removeSubrange((Int(n) + 4)...)
        case .snappy:
            var length = snappy_max_compressed_length(input.count)
            Self.ensureCount(&output, length)
            _ = output.withUnsafeMutableBytes { dst in
                snappy_compress(src.assumingMemoryBound(to: CChar.self), input.count, dst.baseAddress!.assumingMemoryBound(to: CChar.self), &length)
            }
            output.removeSubrange(length...)
        case .deflate:
            var length = compressBound(uLong(input.count))
            Self.ensureCount(&output, Int(length))
            _ = output.withUnsafeMutableBytes { dst in
                CZlib.compress(dst.baseAddress!.assumingMemoryBound(to: Bytef.self), &length, src.assumingMemoryBound(to: Bytef.self), uLong(input.count))
            }
            output.removeSubrange(Int(length)...)
        case .zstd:
            let bound = ZSTD_compressBound(input.count)
            Self.ensureCount(&output, bound)
            let n = output.withUnsafeMutableBytes { dst in ZSTD_compress(dst.baseAddress!, dst.count, src, input.count, 3) }
            output.removeSubrange(n...)
        case .noop:
            output.removeAll(keepingCapacity: true)
            output.append(contentsOf: input)
        }
    }

    /// Grows `output` to `count` bytes without giving up its capacity.
    private static func ensureCount(_ output: inout [UInt8], _ count: Int) {
        if output.count < count { output.append(contentsOf: repeatElement(0, count: count - output.count)) }
    }

    /// One chunk compressed, as a new array.
    public func compress(_ input: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        input.withUnsafeBytes { compress($0, into: &out) }
        return out
    }
}
