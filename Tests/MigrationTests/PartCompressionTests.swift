import AWS
import DynamoMapping
import DynamoModel
import Foundation
import TestSupport
import Testing
@testable import Migration

/// Staged parts in each codec ImportTable reads: the system's gzip and zstd tools read them back
/// to the bytes written, and an extraction stages the same items whatever the codec.
@Suite struct PartCompressionTests {
    /// 200,000 lines of JSON-like text (13 MB), varied enough not to compress to nothing.
    static let lines: [UInt8] = {
        var text: [UInt8] = []
        for i in 0..<200_000 {
            text += Array("{\"Item\":{\"id\":{\"N\":\"\(i)\"},\"v\":{\"S\":\"\(i &* 7919 % 100_003)-\(i % 97)\"}}}\n".utf8)
        }
        return text
    }()

    /// What decompresses a file to standard output.
    static func tool(_ compression: PartCompression) -> (String, [String]) {
        switch compression {
        case .gzip: ("gzip", ["-dc"])
        case .zstd: ("zstd", ["-dcq"])
        case .none: ("cat", [])
        }
    }

    @Test(arguments: [(PartCompression.gzip, 1), (.gzip, 6), (.gzip, 12), (.zstd, 1), (.zstd, 3), (.zstd, 19), (.none, 0)])
    func partsReadBackWithTheSystemTools(compression: PartCompression, level: Int) throws {
        let staging = TestPaths.temporaryFolder("codec")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        try FileManager.default.createDirectory(atPath: staging + "/tables/t/data", withIntermediateDirectories: true)
        let writer = try PartWriter(staging: staging, dataFolder: "tables/t/data", partialFolder: "tables/t/.partial",
                                    compression: compression, level: compression == .none ? nil : level)
        // Two parts: the first half, then the rest.
        let half = Self.lines.count / 2
        Self.lines.withUnsafeBytes { writer.write(UnsafeRawBufferPointer(rebasing: $0[0..<half]), count: 1) }
        try writer.finishPart()
        Self.lines.withUnsafeBytes { writer.write(UnsafeRawBufferPointer(rebasing: $0[half...]), count: 1) }
        try writer.close()
        #expect(writer.parts.map(\.name) == ["part-00001", "part-00002"].map { $0 + compression.fileExtension })
        var joined: [UInt8] = []
        for part in writer.parts {
            let path = staging + "/" + part.file
            let (program, arguments) = Self.tool(compression)
            let decoded = try runProgramBlocking(try #require(which(program)), arguments + [path])
            #expect(decoded.status == 0, "\(program) \(path): \(decoded.stderr)")
            joined += Array(decoded.stdout)
            let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(file.count == part.bytes)
            // The manifest's checksum, as the system's sha256sum computes it.
            let sum = try runProgramBlocking(try #require(which("sha256sum")), [path])
            #expect(String(decoding: sum.stdout, as: UTF8.self).split(separator: " ").first.map(String.init) == part.sha256)
            #expect(try compression.decompress(file) == Array(decoded.stdout))
            #expect(part.uncompressedBytes == decoded.stdout.count)
            if compression != .none { #expect(file.count < part.uncompressedBytes / 2, "\(compression) \(level) compressed \(part.uncompressedBytes) to \(file.count)") }
        }
        #expect(joined == Self.lines)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: staging + "/tables/t/.partial")) ?? [] == [])
    }

    @Test(arguments: [PartCompression.gzip, .zstd])
    func damagedPartsAreErrorsNotShortReads(compression: PartCompression) throws {
        let compressor = try PartCompressor(compression)
        let file = try Self.lines.withUnsafeBytes { raw in try compressor.compress(raw) { Array($0) } }
        #expect(try compression.decompress(file) == Self.lines)
        // Truncated anywhere past the header: an error, never the lines before the cut.
        for cut in [file.count - 1, file.count - 9, file.count / 2, 20] {
            #expect(throws: StagingError.self, "cut at \(cut)") { try compression.decompress(Array(file[0..<cut])) }
        }
        var flipped = file
        flipped[file.count / 2] ^= 0x55
        #expect(throws: StagingError.self) { try compression.decompress(flipped) }
        #expect(throws: StagingError.self) { try compression.decompress([]) }
        // The limit holds: a part larger than allowed is refused, not read into memory whole.
        #expect(throws: StagingError.self) { try compression.decompress(file, limit: 1 << 20) }
    }

    @Test func levelsOutsideTheCodecsRangeAreRefused() {
        #expect(throws: StagingError.self) { try PartCompressor(.gzip, level: 13) }
        #expect(throws: StagingError.self) { try PartCompressor(.zstd, level: 0) }
        #expect(throws: StagingError.self) { try PartCompressor(.gzip, level: 0) }
    }

    /// The shop sample staged three times: the items are the same whatever the codec, the manifest
    /// says which one each table used, and a change of codec stages the table again.
    @Test func extractionStagesTheSameItemsInEveryCodec() throws {
        var staged: [PartCompression: [String]] = [:]
        let staging = TestPaths.temporaryFolder("codec-extract")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        for compression in PartCompression.allCases {
            var options = ExtractOptions(sources: [TestPaths.samples + "/shop"], schemaText: ExtractTests.shopSchema,
                                         partBytes: 2000, concurrency: 2, now: 1_700_000_000)
            options.compression = compression
            let manifest = try Extractor(options: options).run(staging: staging)
            var items: [String] = []
            for table in manifest.tables {
                #expect(table.compression == compression)
                for part in table.parts {
                    #expect(part.file.hasSuffix(compression.fileExtension))
                    let bytes = try PartReader.readVerified(part, staging: staging)
                    try PartReader.forEachItem(bytes, compression: table.partCompression, name: part.file, expectedCount: part.items) {
                        var line: [UInt8] = []
                        AttributeValue.writeItem($0, into: &line, sortedKeys: true)
                        items.append(table.design.table + " " + String(decoding: line, as: UTF8.self))
                    }
                }
            }
            staged[compression] = items.sorted()
        }
        #expect(staged[.gzip]!.count == (try ExtractTests.rowCount(TestPaths.samples + "/shop", schema: ExtractTests.shopSchema)))
        #expect(staged[.zstd] == staged[.gzip])
        #expect(staged[.none] == staged[.gzip])
        // The folder ends as the last run left it: no part of another codec lingers.
        let leftovers = FileManager.default.enumerator(atPath: staging + "/tables")!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".gz") || $0.hasSuffix(".zst") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func partSizeGrowsOnlyForTablesPastImportTablesObjectLimit() {
        #expect(Extractor.partBytes(forDataBytes: 1 << 30, fraction: 1) == Extractor.defaultPartBytes)
        // 10 TB of Data.db: about 40 TB of JSON in at most 40,000 parts.
        let big = Extractor.partBytes(forDataBytes: 10_000_000_000_000, fraction: 1)
        #expect(big == 1_000_000_000)
        #expect(Extractor.partBytes(forDataBytes: 10_000_000_000_000, fraction: 0.125) == 125_000_000)
    }
}
