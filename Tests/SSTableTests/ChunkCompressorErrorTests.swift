import Testing

@testable import SSTable

/// Every compression library's result is checked: a chunk it refuses is an error in its words,
/// never a short or garbage chunk written on.
struct ChunkCompressorErrorTests {
    /// 4 KiB that do not compress (a xorshift sequence), into 64 bytes: too small for any of them.
    static let input: [UInt8] = {
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<4096).map { _ in
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            return UInt8(truncatingIfNeeded: x)
        }
    }()

    @Test(arguments: [
        (ChunkCompressor.zstd, "Zstd could not compress a chunk: Destination buffer is too small"),
        (.lz4, "LZ4 could not compress a chunk of 4096 bytes"),
        (.deflate, "zlib could not compress a chunk: buffer error"),
        (.snappy, "Snappy could not compress a chunk of 4096 bytes: its output does not fit"),
        (.noop, "no room to copy a chunk of 4096 bytes"),
    ])
    func aRefusedChunkIsAnError(compressor: ChunkCompressor, message: String) {
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 8)
        defer { output.deallocate() }
        let result = Self.input.withUnsafeBytes { input in Result { () throws(CompressionError) in try compressor.compress(input, into: output) } }
        #expect(throws: CompressionError(description: message)) { try result.get() }
    }

    /// With the room its bound gives, each compresses and decompresses back to the input.
    @Test(arguments: [ChunkCompressor.zstd, .lz4, .deflate, .snappy, .noop])
    func aChunkRoundTrips(compressor: ChunkCompressor) throws {
        var compressed: [UInt8] = []
        try Self.input.withUnsafeBytes { try compressor.compress($0, into: &compressed) }
        var back = [UInt8](repeating: 0, count: Self.input.count)
        let n = compressed.withUnsafeBytes { src in back.withUnsafeMutableBytes { compressor.decompress(src, into: $0) } }
        #expect(n == Self.input.count && back == Self.input)
    }
}
