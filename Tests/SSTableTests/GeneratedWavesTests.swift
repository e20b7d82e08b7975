import CQL
import Foundation
import Testing

@testable import SSTable
@testable import SampleData

/// `generate --wave N` and `--compact`: later waves written into a generated table as new
/// SSTables, read with the earlier ones by our reader, equal the expected rows the generator's
/// independent model computes over every wave's updates; compactions read as their inputs did.
@Suite struct GeneratedWavesTests {
    static let now1: Int64 = 1_750_000_000

    /// The files of a folder, by name.
    static func files(_ folder: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) { out[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)) }
        return out
    }

    /// Copies the files of generations `generations` into a new folder.
    static func copy(_ generations: [Int], from folder: String, to target: String) throws {
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where generations.contains(where: { name.hasPrefix("nb-\($0)-big-") }) {
            try FileManager.default.copyItem(atPath: folder + "/" + name, toPath: target + "/" + name)
        }
    }

    /// Statistics.db of each SSTable in `folder`, by generation.
    static func statistics(_ folder: String) throws -> [Int: Statistics] {
        var out: [Int: Statistics] = [:]
        for location in try SSTableDiscovery.tables(at: folder) {
            for (descriptor, components) in location.sstables { out[Int(descriptor.generation)!] = try SSTable(descriptor, components: components).statistics }
        }
        return out
    }

    static func expectSame(_ actual: String, _ expectedFile: String, _ what: String) throws {
        let expected = try String(contentsOfFile: expectedFile, encoding: .utf8)
        let e = expected.split(separator: "\n"), a = actual.split(separator: "\n")
        #expect(a.count == e.count, "\(what): \(a.count) rows, expected \(e.count)")
        if let i = zip(e, a).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record("\(what): row \(i) differs\nexpected \(e[i])\nactual   \(a[i])")
        }
    }

    /// Wave 1, wave 2 (a day later, 20 % of rows changed) and wave 3 with a compaction of two
    /// wave-1 SSTables and one of wave 2, for every profile: each wave reads as its expected
    /// rows; wave 1's files stay as they were; wave 2's timestamps all follow wave 1's; the
    /// compaction's output alone reads as its inputs did; every kind of change occurs.
    @Test func laterWavesAndACompactionReadAsExpected() throws {
        var total = WaveTally()
        for (profile, rows) in [("users", 3000), ("orders", 3000), ("iot", 20000), ("counters", 3000)] {
            let root = try WriterSupport.temporaryFolder() + "/waves-\(profile)"
            defer { try? FileManager.default.removeItem(atPath: root) }
            let generator = try #require(Profile.named(profile)).generator(now: Self.now1)
            let writer = SampleWriter(out: root, seed: 5, sstables: 3, options: .init(version: "nb"))
            let first = try writer.write(generator, rows: rows)
            let folder = first.directory
            try Self.expectSame(try WriterSupport.read(folder, schema: generator.schema, now: Self.now1), first.expectedPath, "\(profile) wave 1")
            let wave1 = try Self.files(folder)
            let wave1Stats = try Self.statistics(folder)

            var log = GenerationLog(seed: 5, rows: rows, sstables: 3, format: "nb", cql: "", steps: [.init(wave: 1, now: Self.now1, generations: [1, 2, 3])])
            let now2 = Self.now1 + 86400
            log.steps.append(.init(wave: 2, now: now2, changeShare: 0.2, generations: [4, 5, 6]))
            let second = try writer.write(generator, rows: rows, log: log, from: 1)
            try Self.expectSame(try WriterSupport.read(folder, schema: generator.schema, now: now2), second.expectedPath, "\(profile) wave 2")
            try Self.expectSame(try WriterSupport.read(folder, schema: generator.schema, now: now2), root + "/expected/wave-2/" + first.table + ".jsonl", "\(profile) wave 2 copy")
            let after = try Self.files(folder)
            for (name, bytes) in wave1 { #expect(after[name] == bytes, "\(profile): \(name) changed") }
            let stats = try Self.statistics(folder)
            let wave1Newest = try #require(wave1Stats.values.compactMap(\.maxTimestamp).max())
            #expect(!second.generations.isEmpty)
            for g in second.generations { #expect(try #require(stats[g]?.minTimestamp) > wave1Newest, "\(profile): SSTable \(g)") }
            let tally = try #require(second.tally)
            total.add(tally)
            #expect(tally.changedRows + tally.newRows > 0, "\(profile): wave 2 changed nothing")

            // Wave 3 and a compaction of SSTables 1, 2 (wave 1) and 4 (wave 2).
            let now3 = now2 + 86400
            let inputs = root + "/inputs"
            try Self.copy([1, 2, 4], from: folder, to: inputs)
            log.steps.append(.init(wave: 3, now: now3, changeShare: 0.05, generations: [7, 8, 9]))
            log.steps.append(.init(wave: nil, now: now3, generations: [10], compacted: [1, 2, 4]))
            let third = try writer.write(generator, rows: rows, log: log, from: 2)
            let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            #expect(!names.contains { $0.hasPrefix("nb-1-") || $0.hasPrefix("nb-2-") || $0.hasPrefix("nb-4-") }, "\(profile): inputs left")
            #expect(third.generations.contains(10), "\(profile): no compaction output")
            // Purges were judged by the inputs' and the other SSTables' own minimum timestamps.
            for g in [1, 2, 3, 4] where stats[g] != nil { #expect(third.minTimestamps?[g] == stats[g]?.minTimestamp, "\(profile): SSTable \(g)") }
            try Self.expectSame(try WriterSupport.read(folder, schema: generator.schema, now: now3), third.expectedPath, "\(profile) wave 3")
            let output = root + "/output"
            try Self.copy([10], from: folder, to: output)
            #expect(try WriterSupport.read(output, schema: generator.schema, now: now3) == (try WriterSupport.read(inputs, schema: generator.schema, now: now3)),
                    "\(profile): the compaction does not read as its inputs")
        }
        // Every kind of change, over the profiles (counters take no deletions or TTLs).
        #expect(total.newPartitions > 0 && total.newPartitionRows > 0)
        #expect(total.newRows > 0 && total.overwrites > 0 && total.rewrites > 0)
        #expect(total.rowDeletions > 0 && total.rangeDeletions > 0 && total.partitionDeletions > 0 && total.collectionDeletions > 0)
        #expect(total.staticUpdates > 0 && total.ttlWrites > 0 && total.expiredSincePreviousWave > 0)
    }
}
