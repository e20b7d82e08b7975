import CQL
import Foundation
import Testing

@testable import SSTable

/// Damaged SSTables give one error naming the file and byte offset: never a crash, a hang, or
/// rows made up.
@Suite struct BadInputTests {
    /// A writable copy of a corpus table and its (only) SSTable.
    static func copyOf(_ version: String, _ table: String) throws -> (URL, SSTableDescriptor) {
        let folder = try SSTableRewriter.copy(SharedCorpus.root.appendingPathComponent("\(version)/legacy_tables/legacy_\(version)_\(table)"))
        let descriptor = try #require(SSTableDiscovery.sstables(in: folder.path).first?.descriptor)
        return (folder, descriptor)
    }

    static func readError(_ folder: URL) -> SSTableError? {
        do {
            _ = try ConformanceTests.dump(folder.path, schema: nil)
            return nil
        } catch let error as SSTableError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    static func truncate(_ path: String, to length: Int) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(length).write(to: URL(fileURLWithPath: path))
    }

    @Test(SharedCorpus.required) func truncatedCompressedDataNamesFileAndOffset() throws {
        let (folder, d) = try Self.copyOf("nb", "clust")
        try Self.truncate(d.dataPath, to: 4000)
        let error = try #require(Self.readError(folder))
        #expect(error.path == d.dataPath)
        #expect(error.offset != nil)
        #expect(!error.description.contains("\n"))
    }

    @Test(SharedCorpus.required, arguments: [0, 1, 2, 100, 1000, 5000])
    func truncatedUncompressedDataNamesFileAndOffset(keep: Int) throws {
        let (folder, d) = try Self.copyOf("mc", "clust")
        try SSTableRewriter.recompress(d, with: nil)
        try FileManager.default.removeItem(atPath: d.path("CRC.db"))
        try Self.truncate(d.dataPath, to: keep)
        let error = try #require(Self.readError(folder))
        #expect(error.path == d.dataPath)
        #expect(error.offset != nil)
        if keep == 0 { #expect(error.message.contains("empty")) }
    }

    /// Cut exactly at a partition boundary, the rows before it would parse: the Digest catches it.
    @Test(SharedCorpus.required) func uncompressedDataCutAtPartitionBoundaryFailsTheDigest() throws {
        let (folder, d) = try Self.copyOf("nb", "simple")
        try SSTableRewriter.recompress(d, with: nil)
        try FileManager.default.removeItem(atPath: d.path("CRC.db"))
        let data = try Data(contentsOf: URL(fileURLWithPath: d.dataPath))
        try String(data.withUnsafeBytes { Checksum.crc32($0) }).write(toFile: d.path("Digest.crc32"), atomically: true, encoding: .utf8)
        #expect(Self.readError(folder) == nil)
        // Each partition of 'simple' ends with the end-of-partition byte 0x01 followed by the next key's length 0x00 0x01.
        let boundary = try #require((1..<data.count - 2).first { data[$0 - 1] == 0x01 && data[$0] == 0 && data[$0 + 1] == 1 })
        try Self.truncate(d.dataPath, to: boundary)
        let error = try #require(Self.readError(folder))
        #expect(error.message.contains("Digest"))
    }

    @Test(SharedCorpus.required) func flippedByteInCompressedChunkFailsItsChecksum() throws {
        let (folder, d) = try Self.copyOf("nb", "clust")
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: d.dataPath)))
        bytes[100] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: d.dataPath))
        let error = try #require(Self.readError(folder))
        #expect(error.path == d.dataPath)
        #expect(error.offset == 0)
        #expect(error.message.contains("checksum mismatch in compressed chunk 0"))
    }

    @Test(SharedCorpus.required) func flippedByteInUncompressedBlockFailsCRC() throws {
        let (folder, d) = try Self.copyOf("mc", "clust")
        try SSTableRewriter.recompress(d, with: nil, chunkLength: 65536)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: d.dataPath)))
        bytes[70_000] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: d.dataPath))
        let error = try #require(Self.readError(folder))
        #expect(error.offset == 65536)
        #expect(error.message.contains("CRC.db"))
    }

    @Test(SharedCorpus.required) func missingCompressionInfoIsNamed() throws {
        let (folder, d) = try Self.copyOf("nb", "simple")
        try FileManager.default.removeItem(atPath: d.path("CompressionInfo.db"))
        let error = try #require(Self.readError(folder))
        #expect(error.path == d.path("CompressionInfo.db"))
        #expect(error.message.contains("missing"))
    }

    @Test(SharedCorpus.required) func statisticsOfAnotherTableIsRejected() throws {
        let (folder, d) = try Self.copyOf("mc", "clust")
        let other = SharedCorpus.root.appendingPathComponent("mc/legacy_tables/legacy_mc_simple/mc-1-big-Statistics.db")
        try FileManager.default.removeItem(atPath: d.path("Statistics.db"))
        try FileManager.default.copyItem(atPath: other.path, toPath: d.path("Statistics.db"))
        // Without a schema: the header does not describe the rows, so parsing fails at an offset.
        let error = try #require(Self.readError(folder))
        #expect(error.path == d.dataPath)
        #expect(error.offset != nil)
        // With the table's schema: the mismatch is caught before reading rows.
        let schema = TableSchema(
            keyspace: "legacy_tables", name: "legacy_mc_clust",
            partitionKey: [ColumnSchema(name: "pk", type: .text, kind: .partitionKey)],
            clustering: [ColumnSchema(name: "ck", type: .text, kind: .clustering)],
            regularColumns: [ColumnSchema(name: "val", type: .text, kind: .regular)])
        let location = try #require(SSTableDiscovery.tables(at: folder.path).first)
        #expect(throws: SSTableError.self) { _ = try TableReader(location: location, schema: schema, now: 0) }
    }

    /// A schema without a column the SSTables hold: the column's cells are skipped and reported.
    @Test(SharedCorpus.required, arguments: ["nb", "ka"])
    func columnsMissingFromTheSchemaAreReported(version: String) throws {
        let schema = TableSchema(
            keyspace: "legacy_tables", name: "legacy_\(version)_clust",
            partitionKey: [ColumnSchema(name: "pk", type: .text, kind: .partitionKey)],
            clustering: [ColumnSchema(name: "ck", type: .text, kind: .clustering)])
        let folder = SharedCorpus.root.appendingPathComponent("\(version)/legacy_tables/legacy_\(version)_clust")
        let location = try #require(SSTableDiscovery.tables(at: folder.path).first)
        let reader = try TableReader(location: location, schema: schema, now: 0)
        var rows = 0
        try reader.forEachRow { _ in rows += 1 }
        #expect(rows == 250)  // the rows are still there (their markers are live)
        #expect(reader.warnings.count == 1)
        #expect(reader.warnings.first?.contains("val") == true)
        // Declared dropped, the column is no surprise.
        var dropped = schema
        dropped.droppedColumns = ["val": 0]
        let quiet = try TableReader(location: location, schema: dropped, now: 0)
        try quiet.forEachRow { _ in }
        #expect(quiet.warnings.isEmpty)
    }

    @Test(SharedCorpus.required) func emptyFilesAreErrors() throws {
        for component in ["Data.db", "Statistics.db", "CompressionInfo.db"] {
            let (folder, d) = try Self.copyOf("nb", "simple")
            try Data().write(to: URL(fileURLWithPath: d.path(component)))
            let error = try #require(Self.readError(folder), "\(component)")
            #expect(error.path == d.path(component))
        }
    }

    @Test func notAnSSTableFolder() throws {
        let dir = try SSTableRewriter.temporaryDirectory()
        #expect(throws: SSTableError.self) { _ = try SSTableDiscovery.tables(at: dir.path) }
        #expect(throws: SSTableError.self) { _ = try SSTableDiscovery.tables(at: dir.path + "/nope") }
    }
}
