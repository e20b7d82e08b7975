import Foundation
import CZlib
import TestSupport
import Testing

@testable import SSTable

/// Every compressor Cassandra can name decodes chunks made by its reference library, and an
/// SSTable rewritten with it reads to the same rows.
@Suite struct CompressionTests {
    static let compressors: [ChunkCompressor?] = [.lz4, .snappy, .deflate, .zstd, .noop, nil]

    @Test(SharedCorpus.required, arguments: compressors)
    func recompressedSSTableReadsTheSame(compressor: ChunkCompressor?) throws {
        for version in ["mc", "nb"] {
            let original = SharedCorpus.root.appendingPathComponent("\(version)/legacy_tables/legacy_\(version)_clust")
            let expected = try ConformanceTests.dump(original.path, schema: nil)
            let copy = try SSTableRewriter.copy(original)
            defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent().deletingLastPathComponent()) }
            let descriptor = try #require(SSTableDiscovery.sstables(in: copy.path).first?.descriptor)
            try SSTableRewriter.recompress(descriptor, with: compressor)
            let actual = try ConformanceTests.dump(copy.path, schema: nil)
            #expect(actual == expected, "\(version) with \(compressor?.rawValue ?? "no compression")")
            #expect(actual.count > 100_000)
        }
    }

    /// The whole-file digest of an uncompressed SSTable is built from the block checksums of
    /// CRC.db (one pass over the bytes); that must equal the checksum of the bytes in one go.
    @Test func blockChecksumsCombineToTheWholeFileChecksum() {
        var random = TestSeed.generator()
        for _ in 0..<50 {
            let bytes = (0..<Int.random(in: 0...70_000, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            let cut = Int.random(in: 0...bytes.count, using: &random)
            bytes.withUnsafeBytes { all in
                let a = UnsafeRawBufferPointer(rebasing: all[..<cut]), b = UnsafeRawBufferPointer(rebasing: all[cut...])
                #expect(Checksum.combine(Checksum.crc32(a), Checksum.crc32(b), length: b.count, crc32: true) == Checksum.crc32(all))
                #expect(Checksum.combine(Checksum.adler32(a), Checksum.adler32(b), length: b.count, crc32: false) == Checksum.adler32(all))
            }
        }
    }

    /// Checksums come from libdeflate; zlib (what `java.util.zip` matches) must agree, also when
    /// continued from a running value and on lengths around the vector widths.
    @Test func checksumsEqualZlibs() {
        var random = TestSeed.generator()
        for length in Array(0...130) + (0..<40).map({ _ in Int.random(in: 0...200_000, using: &random) }) {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let seed = UInt32.random(in: 0...UInt32.max, using: &random)
            bytes.withUnsafeBytes { raw in
                let base = raw.baseAddress?.assumingMemoryBound(to: Bytef.self)
                #expect(Checksum.crc32(raw) == UInt32(CZlib.crc32(0, base, uInt(length))), "crc32 of \(length) bytes")
                #expect(Checksum.adler32(raw) == UInt32(CZlib.adler32(1, base, uInt(length))), "adler32 of \(length) bytes")
                guard length > 0 else { return }  // zlib ignores the running value for no bytes
                #expect(Checksum.crc32(continuing: seed, raw) == UInt32(CZlib.crc32(uLong(seed), base, uInt(length))))
                let sum = (seed % 65521) | ((seed >> 16) % 65521) << 16
                #expect(Checksum.adler32(continuing: sum, raw) == UInt32(CZlib.adler32(uLong(sum), base, uInt(length))))
            }
        }
    }

    @Test(SharedCorpus.required) func realLZ4ChunkDecodesToTheDeclaredLength() throws {
        let folder = SharedCorpus.root.appendingPathComponent("nb/legacy_tables/legacy_nb_clust")
        let descriptor = try #require(SSTableDiscovery.sstables(in: folder.path).first?.descriptor)
        let data = try SSTableRewriter.uncompressedData(descriptor)
        let info = try CompressionInfo.parse(Array(Data(contentsOf: URL(fileURLWithPath: descriptor.path("CompressionInfo.db")))), path: "", version: descriptor.version)
        #expect(Int64(data.count) == info.dataLength)
        #expect(info.compressor == .lz4)
        // A partition key '0' opens the data: short length 1, then the byte '0'.
        #expect(Array(data.prefix(3)) == [0, 1, UInt8(ascii: "0")])
    }

    @Test(arguments: [ChunkCompressor.lz4, .snappy, .deflate, .zstd])
    func corruptChunkIsRejectedNotMisread(compressor: ChunkCompressor) {
        let input = Array((0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7 % 251) })
        var chunk = SSTableRewriter.compress(input, with: compressor)
        var out = [UInt8](repeating: 0, count: input.count)
        let ok = chunk.withUnsafeBytes { src in out.withUnsafeMutableBytes { compressor.decompress(src, into: $0) } }
        #expect(ok == input.count)
        #expect(out == input)
        // Truncated input: never more than the buffer, never a crash.
        chunk.removeLast(chunk.count / 2)
        let n = chunk.withUnsafeBytes { src in out.withUnsafeMutableBytes { compressor.decompress(src, into: $0) } }
        #expect(n != input.count || out != input)
    }
}
