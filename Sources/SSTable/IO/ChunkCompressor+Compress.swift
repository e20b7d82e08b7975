import CLZ4
import CSnappy
import CZlib
import CZstd

/// A chunk the compression library refused, in its own words.
public struct CompressionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}

extension ChunkCompressor {
    /// Compresses one chunk the way Cassandra's compressor of this name writes it (LZ4: a 4-byte
    /// little-endian length, then an LZ4 block), replacing the contents of `output`.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws {
        let bound = bound(input.count)
        if output.count < bound { output.append(contentsOf: repeatElement(0, count: bound - output.count)) }
        let n = try output.withUnsafeMutableBytes { try compress(input, into: $0) }
        output.removeSubrange(n...)
    }

    /// The largest compressed size of `count` bytes.
    func bound(_ count: Int) -> Int {
        switch self {
        case .lz4: Int(LZ4_compressBound(Int32(count))) + 4
        case .snappy: snappy_max_compressed_length(count)
        case .deflate: Int(compressBound(uLong(count)))
        case .zstd: ZSTD_compressBound(count)
        case .noop: count
        }
    }

    /// Compresses one chunk into `output`; returns the bytes written. Every library's result is
    /// checked: a refusal is an error naming the library and its reason, never a short chunk.
    func compress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(CompressionError) -> Int {
        let src = input.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        guard let dst = output.baseAddress else { throw CompressionError(description: "no room to compress a chunk into") }
        switch self {
        case .lz4:
            guard output.count >= 4 else { throw CompressionError(description: "LZ4 could not compress a chunk: no room for its length") }
            let length = UInt32(input.count)
            for i in 0..<4 { output[i] = UInt8(truncatingIfNeeded: length >> UInt32(8 * i)) }
            let n = LZ4_compress_default(src.assumingMemoryBound(to: CChar.self), (dst + 4).assumingMemoryBound(to: CChar.self),
                                         Int32(input.count), Int32(output.count - 4))
            guard n > 0 || input.isEmpty else { throw CompressionError(description: "LZ4 could not compress a chunk of \(input.count) bytes") }
            return Int(n) + 4
        case .snappy:
            var length = output.count
            let status = snappy_compress(src.assumingMemoryBound(to: CChar.self), input.count, dst.assumingMemoryBound(to: CChar.self), &length)
            guard status == SNAPPY_OK else {
                let reason = status == SNAPPY_BUFFER_TOO_SMALL ? "its output does not fit" : "the input is invalid"
                throw CompressionError(description: "Snappy could not compress a chunk of \(input.count) bytes: \(reason)")
            }
            return length
        case .deflate:
            var length = uLong(output.count)
            let status = CZlib.compress(dst.assumingMemoryBound(to: Bytef.self), &length, src.assumingMemoryBound(to: Bytef.self), uLong(input.count))
            guard status == Z_OK else { throw CompressionError(description: "zlib could not compress a chunk: \(String(cString: zError(status)))") }
            return Int(length)
        case .zstd:
            let n = ZSTD_compress(dst, output.count, src, input.count, 3)
            guard ZSTD_isError(n) == 0 else { throw CompressionError(description: "Zstd could not compress a chunk: \(String(cString: ZSTD_getErrorName(n)))") }
            return n
        case .noop:
            guard output.count >= input.count else { throw CompressionError(description: "no room to copy a chunk of \(input.count) bytes") }
            output.copyMemory(from: input)
            return input.count
        }
    }
}
