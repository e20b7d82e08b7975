import CQL
import Foundation
import TestSupport
import Testing

@testable import SSTable

/// Statistics.db whose component table is not in offset order (as ScyllaDB and other writers
/// leave it) reads as Cassandra reads it: each component ends where the next one by offset starts.
@Suite(SharedCorpus.required)
struct MetadataOrderTests {
    /// Copies a table folder of the shared corpus and rewrites its Statistics.db with the component
    /// table's entries reversed (the table's CRC recomputed where the format has one).
    static func copyWithReversedTable(_ version: String, _ table: String) throws -> (TempDir, String) {
        let copy = TempDir()
        let folder = try copy.copy(filesOf: SharedCorpus.root.appendingPathComponent("\(version)/legacy_tables/\(table)").path,
                                   to: "legacy_tables/\(table)-0123456789abcdef0123456789abcdef")
        let statistics = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix("-Statistics.db") })
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/" + statistics)))
        let checksummed = SSTableVersion(version).hasMetadataChecksums
        let count = Int(UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3]))
        let start = checksummed ? 8 : 4
        let entries = (0..<count).map { Array(bytes[(start + $0 * 8)..<(start + $0 * 8 + 8)]) }
        let reversed = Array(entries.reversed().joined())
        #expect(reversed != Array(entries.joined()))
        bytes.replaceSubrange(start..<(start + count * 8), with: reversed)
        if checksummed {
            let crc = bytes.withUnsafeBytes { raw in
                Checksum.crc32(continuing: Checksum.crc32(UnsafeRawBufferPointer(rebasing: raw[0..<4])),
                               UnsafeRawBufferPointer(rebasing: raw[8..<(8 + count * 8)]))
            }
            bytes.replaceSubrange((8 + count * 8)..<(12 + count * 8), with: [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)])
        }
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + statistics))
        return (copy, folder)
    }

    @Test(arguments: ["ka", "mc", "me", "nb"])
    func aTableListedOutOfOrderReadsTheExpectedRows(version: String) throws {
        let name = "legacy_\(version)_clust"
        let schema = try CQLSchema.parse(try String(contentsOf: SharedCorpus.schema(version: version), encoding: .utf8))
        let table = try #require(schema.table(keyspace: "legacy_tables", name: name))
        let (copy, folder) = try Self.copyWithReversedTable(version, name)
        let actual = try parseJSONLines(ConformanceTests.dump(folder, schema: table))
        let expected = try parseJSONLines(Data(contentsOf: SharedCorpus.expected(version: version, table: name)))
        #expect(actual.count == expected.count && !actual.isEmpty)
        #expect(zip(expected, actual).allSatisfy { jsonMatches(expected: $0, actual: $1) })
        withExtendedLifetime(copy) {}
    }
}

/// Messages show CQL types as CQL, never as Swift values.
@Suite(SharedCorpus.required)
struct TypeMessageTests {
    @Test func aSchemaMismatchNamesBothTypesInCQL() throws {
        let folder = SharedCorpus.root.appendingPathComponent("nb/legacy_tables/legacy_nb_simple").path
        let schema = try CQLSchema.parse("""
            CREATE TYPE legacy_tables.ut (a int);
            CREATE TABLE legacy_tables.legacy_nb_simple (pk text PRIMARY KEY, val map<int, frozen<ut>>);
            """)
        let table = try #require(schema.table(keyspace: "legacy_tables", name: "legacy_nb_simple"))
        let location = try #require(try SSTableDiscovery.tables(at: folder).first)
        #expect { try TableReader(location: location, schema: table, now: 0) } throws: { error in
            "\(error)".contains("column val is map<int, frozen<ut>> in the schema but text in the SSTable") && !"\(error)".contains("CQLType")
        }
    }
}
