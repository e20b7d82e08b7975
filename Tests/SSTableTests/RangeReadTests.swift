import CQL
import Foundation
import SampleData
import Testing

@testable import SSTable

/// Range reads (`TableReader.restrict(to:)`) seek through Summary.db and Index.db: the token
/// shares 1…N of a table, read apart, are its whole dump byte for byte; a damaged or missing
/// index gives the same rows with a warning; a share reads about its part of Data.db.
@Suite struct RangeReadTests {
    struct Read {
        var text: [UInt8] = []
        var warnings: [String] = []
        var dataBytesRead: Int64 = 0
    }

    /// Reads every table under `folder` (or only `range` of it), as `dump` prints it.
    static func read(_ folder: String, schema: TableSchema?, now: Int64, range: TokenRange? = nil) throws -> Read {
        var result = Read()
        for location in try SSTableDiscovery.tables(at: folder) {
            let reader = try TableReader(location: location, schema: schema, now: now)
            if let range { try reader.restrict(to: range) }
            try reader.forEachRow { row in
                try row.appendJSON(to: &result.text)
                result.text.append(UInt8(ascii: "\n"))
            }
            result.warnings += reader.warnings
            result.dataBytesRead += reader.dataBytesRead
        }
        return result
    }

    /// Shares 1…n read apart and concatenated.
    static func shares(_ folder: String, schema: TableSchema?, now: Int64, _ n: Int) throws -> Read {
        var all = Read()
        for range in TokenRange.split(n) {
            let part = try read(folder, schema: schema, now: now, range: range)
            all.text += part.text
            all.warnings += part.warnings
        }
        return all
    }

    /// A generated table of `profile` in `sstables` SSTables; returns its folder, schema, time and expected rows.
    static func generate(
        _ profile: String, partitions: Int, sstables: Int = 3, options: SSTableWriter.Options, seed: UInt64 = 11
    ) throws -> (folder: String, schema: TableSchema, now: Int64, expected: String) {
        var rng = SampleRandom(seed: seed, stream: 5)
        let generator = try #require(Profile.named(profile)).generator(now: 1_750_000_000)
        let folder = try WriterSupport.temporaryFolder() + "/ks/\(profile)"
        let expected = try WriterSupport.write(generator, partitions: partitions, sstables: sstables, folder: folder, options: { _ in options }, &rng)
        return (folder, generator.schema, generator.now, expected)
    }

    /// Rewrites an `nb` Index.db with every Data.db position moved on by one byte, so that each
    /// points inside its partition (and the promoted indexes left out).
    static func shiftDataPositions(ofIndex index: String) throws {
        var shifted: [UInt8] = []
        let reader = try PartitionIndexReader(path: index, version: SSTableVersion("nb"))
        while let e = try reader.next() {
            shifted.appendShortBytes(e.key)
            shifted.appendUnsignedVInt(UInt64(e.dataPosition + 1))
            shifted.appendUnsignedVInt(0)
        }
        try Data(shifted).write(to: URL(fileURLWithPath: index))
    }

    @Test(arguments: ["iot", "users", "counters", "orders"], ["me", "nb"])
    func sharesOfGeneratedTablesAreTheWholeDump(profile: String, version: String) throws {
        let t = try Self.generate(profile, partitions: 150, options: SSTableWriter.Options(version: version, compressor: .lz4, chunkLength: 4096))
        defer { try? FileManager.default.removeItem(atPath: t.folder) }
        let whole = try Self.read(t.folder, schema: t.schema, now: t.now)
        #expect(String(decoding: whole.text, as: UTF8.self) == t.expected)
        for n in [1, 2, 3, 8] {
            let joined = try Self.shares(t.folder, schema: t.schema, now: t.now, n)
            #expect(joined.text == whole.text, "\(profile) \(version): \(n) shares")
            #expect(joined.warnings.isEmpty, "\(joined.warnings)")
        }
    }

    /// The shared corpus's one Murmur3 table (its others use ByteOrderedPartitioner, which has no
    /// token ranges): range tombstones repeated at column-index boundaries of a 2.1 SSTable.
    @Test(SharedCorpus.required) func sharesOfTheMurmur3CorpusTableAreTheWholeDump() throws {
        let schema = try CQLSchema.parse(try String(contentsOf: SharedCorpus.schema(version: "ka"), encoding: .utf8))
        let table = try #require(schema.table(keyspace: "legacy_tables", name: "legacy_ka_repeated_rt"))
        let folder = SharedCorpus.root.appendingPathComponent("ka/legacy_tables/legacy_ka_repeated_rt").path
        let whole = try Self.read(folder, schema: table, now: 1_900_000_000)
        #expect(String(decoding: whole.text, as: UTF8.self).split(separator: "\n").count == 3)
        for n in [1, 2, 3, 8] {
            let joined = try Self.shares(folder, schema: table, now: 1_900_000_000, n)
            #expect(joined.text == whole.text && joined.warnings.isEmpty, "\(n) shares: \(joined.warnings)")
        }
    }

    /// The index of one SSTable of a generated table, damaged in turn: every share reads the
    /// same rows, and what the reader could not use is a warning naming the file.
    @Test func damagedOrMissingIndexFallsBackToAScan() throws {
        let t = try Self.generate("users", partitions: 120, options: SSTableWriter.Options(version: "nb", compressor: .lz4, chunkLength: 4096))
        defer { try? FileManager.default.removeItem(atPath: t.folder) }
        let whole = try Self.read(t.folder, schema: t.schema, now: t.now)
        let prefix = t.folder + "/nb-2-big-"
        let index = prefix + "Index.db", summary = prefix + "Summary.db"
        let intactIndex = try Data(contentsOf: URL(fileURLWithPath: index)), intactSummary = try Data(contentsOf: URL(fileURLWithPath: summary))
        func restore() throws {
            try intactIndex.write(to: URL(fileURLWithPath: index))
            try intactSummary.write(to: URL(fileURLWithPath: summary))
        }
        func check(_ what: String, warns: String?) throws -> Bool {
            let joined = try Self.shares(t.folder, schema: t.schema, now: t.now, 3)
            #expect(joined.text == whole.text, "\(what)")
            if let warns { #expect(joined.warnings.contains { $0.hasPrefix(warns) }, "\(what): \(joined.warnings)") }
            #expect(joined.warnings.allSatisfy { !$0.contains("\n") })
            try restore()
            return !joined.warnings.isEmpty
        }

        try FileManager.default.removeItem(atPath: index)
        _ = try check("missing Index.db", warns: index + ": missing")
        try Data(intactIndex.prefix(intactIndex.count / 2)).write(to: URL(fileURLWithPath: index))
        _ = try check("truncated Index.db", warns: index + ": at byte")
        try FileManager.default.removeItem(atPath: summary)
        _ = try check("missing Summary.db", warns: summary + ": missing")
        // Every Data.db position moved on by one byte: each points inside a partition.
        try Self.shiftDataPositions(ofIndex: index)
        _ = try check("positions into partitions", warns: index + ": at byte")
        // Single bytes flipped all over both files: never a wrong row.
        var warned = 0
        for (path, intact) in [(index, intactIndex), (summary, intactSummary)] {
            for at in stride(from: 0, to: intact.count, by: max(1, intact.count / 40)) {
                var bytes = [UInt8](intact)
                bytes[at] ^= 0xFF
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                if try check("\(path) byte \(at) flipped", warns: nil) { warned += 1 }
            }
        }
        #expect(warned > 10)
    }

    /// Shares of a multi-MB table each read about 1/N of its Data.db: at most 1.2/N of it plus
    /// one chunk per SSTable. A whole read reads every byte once.
    @Test func aShareReadsAboutItsPartOfTheTable() throws {
        let t = try Self.generate("orders", partitions: 6000, options: SSTableWriter.Options(version: "nb", compressor: .lz4), seed: 3)
        defer { try? FileManager.default.removeItem(atPath: t.folder) }
        let location = try #require(try SSTableDiscovery.tables(at: t.folder).first)
        let tables = try location.sstables.map { try SSTable($0.descriptor, components: $0.components) }
        let total = tables.reduce(Int64(0)) { $0 + $1.dataFileSize }
        #expect(total > 2 << 20, "\(total) bytes")
        // The largest stored chunk of each SSTable.
        let chunks = tables.reduce(Int64(0)) { sum, s in
            let offsets = s.compression!.chunkOffsets + [s.dataFileSize]
            return sum + zip(offsets, offsets.dropFirst()).map { $1 - $0 }.max()!
        }
        let whole = try Self.read(t.folder, schema: t.schema, now: t.now)
        #expect(whole.dataBytesRead == total)
        for n in [2, 3, 8] {
            var text: [UInt8] = []
            for (i, range) in TokenRange.split(n).enumerated() {
                let share = try Self.read(t.folder, schema: t.schema, now: t.now, range: range)
                text += share.text
                let bound = Double(total) * 1.2 / Double(n) + Double(chunks)
                #expect(Double(share.dataBytesRead) <= bound, "share \(i + 1)/\(n): \(share.dataBytesRead) of \(total) bytes")
                print("share \(i + 1)/\(n): \(share.dataBytesRead) of \(total) bytes (\(String(format: "%.3f", Double(share.dataBytesRead) / Double(total))))")
            }
            #expect(text == whole.text)
        }
    }

    /// The whole-file Digest of an uncompressed Data.db is checked only by a read that covers
    /// the file from its first byte: a wrong digest fails a whole read; shares still read.
    @Test func digestIsCheckedOnlyByWholeReads() throws {
        let t = try Self.generate("iot", partitions: 80, options: SSTableWriter.Options(version: "nb", compressor: nil))
        defer { try? FileManager.default.removeItem(atPath: t.folder) }
        let whole = try Self.read(t.folder, schema: t.schema, now: t.now)
        let halves = TokenRange.split(2)
        let first = try Self.read(t.folder, schema: t.schema, now: t.now, range: halves[0])
        let second = try Self.read(t.folder, schema: t.schema, now: t.now, range: halves[1])
        #expect(first.text + second.text == whole.text && !first.text.isEmpty && !second.text.isEmpty)
        for k in 1...3 { try "12345".write(toFile: t.folder + "/nb-\(k)-big-Digest.crc32", atomically: true, encoding: .utf8) }
        #expect { try Self.read(t.folder, schema: t.schema, now: t.now) } throws: { "\($0)".contains("does not match the Digest component") }
        // The second half starts after each SSTable's first byte: it cannot check the digest.
        #expect(try Self.read(t.folder, schema: t.schema, now: t.now, range: halves[1]).text == second.text)
    }
}
