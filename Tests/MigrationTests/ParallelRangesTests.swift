import DynamoMapping
import Foundation
import SSTable
import TestSupport
import Synchronization
import Testing
@testable import Migration

/// One table read by several workers, a token range each, stages exactly the items one worker
/// reading it whole stages, in the same order; only the part layout differs.
@Suite struct ParallelRangesTests {
    /// Every staged line of every table, in manifest order (tables by source, parts as listed).
    static func stagedLines(_ manifest: Manifest, staging: String) throws -> [String: [Substring]] {
        var out: [String: [Substring]] = [:]
        for table in manifest.tables {
            for part in table.parts {
                let bytes = try PartReader.readVerified(part, staging: staging)
                let text = String(decoding: try table.partCompression.decompress(bytes), as: UTF8.self)
                let lines = text.split(separator: "\n")
                #expect(lines.count == part.items, "\(part.file)")
                out[table.source, default: []] += lines
            }
        }
        return out
    }

    /// Stages `sources` with one worker, then with `workers` workers over `ranges` ranges a
    /// table, and compares.
    func compare(_ sources: [String], schema: String, workers: Int, ranges: Int, now: Int64) throws -> (one: Manifest, many: Manifest) {
        let root = TestPaths.temporaryFolder("ranges")
        defer { try? FileManager.default.removeItem(atPath: root) }
        var options = ExtractOptions(sources: sources, schemaText: schema, partBytes: 64 << 10, concurrency: 1, now: now)
        // The proposed designs, with rows DynamoDB would refuse skipped and counted (the counts
        // must add up across ranges too).
        var designs: [TableDesign] = []
        for job in try Extractor(options: options).jobs() {
            let reader = try TableReader(location: job.location, schema: job.schema, now: now)
            var design = TableDesigner.propose(reader.schema, indexes: [], views: [], options: DesignOptions())
            design.policies.invalidKey = .skip
            design.policies.emptyMapKey = .skip
            design.policies.oversizedItem = .skip
            designs.append(design)
        }
        options.mapping = MappingFile(tables: designs)
        let one = try Extractor(options: options).run(staging: root + "/one")
        options.concurrency = workers
        options.rangesPerTable = ranges
        let many = try Extractor(options: options).run(staging: root + "/many")
        let expected = try Self.stagedLines(one, staging: root + "/one")
        let actual = try Self.stagedLines(many, staging: root + "/many")
        #expect(expected.keys.sorted() == actual.keys.sorted())
        for (table, lines) in expected {
            let got = actual[table] ?? []
            let first = zip(lines, got).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(lines.count, got.count)
            #expect(got == lines, """
                \(table): \(lines.count) items from one worker, \(got.count) from \(workers); first difference at item \(first): \
                \(lines.dropFirst(first).first?.prefix(160) ?? "-") vs \(got.dropFirst(first).first?.prefix(160) ?? "-")
                """)
        }
        for (a, b) in zip(one.tables, many.tables) {
            #expect(a.rows == b.rows && a.items == b.items && a.rejectedCount == b.rejectedCount, "\(a.source)")
            #expect(a.uncompressedBytes == b.uncompressedBytes && a.issues == b.issues, "\(a.source)")
        }
        return (one, many)
    }

    /// Generated tables of every profile in 3 SSTables with overlapping partitions: statics,
    /// row, range and partition deletions, TTLs, counters.
    @Test func generatedTablesInRanges() async throws {
        let data = TempDir("ranges-data")
        let generated = try await runProgram(try TestPaths.binary(), ["generate", "--profile", "all", "--rows", "20000", "--sstables", "3",
                                                                       "--seed", "5", "--now", "1700000000", "--out", data.path])
        try #require(generated.status == 0, "\(generated.stderr)")
        let schema = try String(contentsOfFile: data.path + "/schema.cql", encoding: .utf8)
        let (one, many) = try compare([data.path], schema: schema, workers: 3, ranges: 7, now: 1_700_000_000)
        #expect(one.tables.count == 4)
        for table in many.tables {
            // Every range wrote its own parts (a range may hold no partition of a small table).
            let ranges = Set(table.parts.map { $0.name.split(separator: "-")[1] })
            #expect(ranges.count >= 2 && ranges.allSatisfy { Int($0).map { (1...7).contains($0) } == true }, "\(table.source): \(ranges.sorted())")
        }
        #expect(one.tables.allSatisfy { $0.parts.allSatisfy { $0.name.split(separator: "-").count == 2 } })
    }

    /// The shared corpus's 2.1 tables: the Murmur3 one is cut, the ByteOrdered ones (ordered by
    /// key, not token) are read whole by one worker.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.cassandra) || TestPaths.isCI, "needs ../shared/sstables/cassandra"))
    func corpusTablesInRanges() throws {
        let schema = try String(contentsOfFile: TestPaths.cassandra + "/expected/ka/schema.cql", encoding: .utf8)
        let (_, many) = try compare([TestPaths.cassandra + "/ka/legacy_tables"], schema: schema, workers: 2, ranges: 4, now: 1_900_000_000)
        #expect(many.tables.count > 10)
        let murmur = try #require(many.tables.first { $0.source == "legacy_tables.legacy_ka_repeated_rt" })
        #expect(murmur.parts.allSatisfy { $0.name.split(separator: "-").count == 3 })
        for table in many.tables where table.source != murmur.source {
            #expect(table.parts.allSatisfy { $0.name.split(separator: "-").count == 2 }, "\(table.source): \(table.parts.map(\.name))")
        }
    }

    /// A run stopped inside a table keeps the ranges it finished (`ranges.json`): the next run
    /// reads only the others, leaves the finished ranges' parts as they are, and stages what an
    /// uninterrupted run stages, part for part.
    @Test func aStoppedTableResumesWithTheRangesNotYetRead() async throws {
        let data = TempDir("resume-data")
        let generated = try await runProgram(try TestPaths.binary(), ["generate", "--profile", "iot", "--rows", "12000", "--sstables", "2",
                                                                       "--seed", "9", "--now", "1700000000", "--out", data.path])
        try #require(generated.status == 0, "\(generated.stderr)")
        var options = ExtractOptions(sources: [data.path], schemaText: try String(contentsOfFile: data.path + "/schema.cql", encoding: .utf8),
                                     partBytes: 16 << 10, concurrency: 1, now: 1_700_000_000)
        options.rangesPerTable = 6
        let root = TempDir("resume")
        let clean = try #require(try Extractor(options: options).run(staging: root.path + "/clean").tables.first)

        // One worker reads the ranges in turn, paced so that the stop lands in the next range.
        options.maxRowsPerSecond = 20_000
        let staging = root.path + "/stopped"
        let journal = staging + "/tables/\(clean.design.table)/ranges.json"
        let stop = StopSignal()
        Thread {
            while !FileManager.default.fileExists(atPath: journal) { usleep(200) }
            stop.stop()
        }.start()
        #expect(throws: Stopped.self) { _ = try Extractor(options: options).run(staging: staging, stop: stop) }
        let recorded = try JSONDecoder().decode(RangeJournal.self, from: Data(contentsOf: URL(fileURLWithPath: journal)))
        #expect(!recorded.done.isEmpty && recorded.done.count < 6, "\(recorded.done.count) ranges done")
        func inode(_ part: StagedPart) -> Int? {
            try? FileManager.default.attributesOfItem(atPath: staging + "/" + part.file)[.systemFileNumber] as? Int
        }
        let kept = recorded.done.flatMap(\.parts)
        let inodes = kept.map(inode)

        options.maxRowsPerSecond = nil
        let read = Mutex(0)
        let sink = ProgressSink { event in
            if event.phase == .extract, event.kind == .progress, let rows = event.rows { read.withLock { $0 = max($0, rows) } }
        }
        let resumed = try #require(try Extractor(options: options).run(staging: staging, progress: sink).tables.first)
        #expect(read.withLock { $0 } == clean.rows - recorded.done.reduce(0) { $0 + $1.rows }, "rows read again")
        #expect(kept.map(inode) == inodes && !kept.isEmpty)
        #expect(resumed.parts == clean.parts && resumed.rows == clean.rows && resumed.items == clean.items)
        #expect(!FileManager.default.fileExists(atPath: journal))
    }

    @Test func oneWorkerOrASmallTableIsOneRange() throws {
        let schema = try String(contentsOfFile: TestPaths.samples + "/shop.cql", encoding: .utf8)
        for workers in [1, 4] {
            let extractor = Extractor(options: ExtractOptions(sources: [TestPaths.samples + "/shop"], schemaText: schema, concurrency: workers,
                                                              now: 1_700_000_000))
            for job in try extractor.jobs() { #expect(try extractor.slices(of: job) == [nil]) }
        }
    }
}
