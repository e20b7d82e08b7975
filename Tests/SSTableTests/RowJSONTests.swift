import CQL
import Foundation
import Testing

@testable import SSTable

/// A row's JSON: a value that cannot be encoded is an error naming the SSTable, and leaves no half
/// row behind, in an array or written in place; long values go through the spill buffer.
@Suite struct RowJSONTests {
    static func be32(_ v: Int) -> [UInt8] { withUnsafeBytes(of: Int32(v).bigEndian) { Array($0) } }
    static func be64(_ v: Int64) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }

    @Test func undecodableValueIsAnErrorAndLeavesNoHalfRow() throws {
        let folder = try WriterSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let schema = TableSchema(
            keyspace: "ks", name: "t", partitionKey: [ColumnSchema(name: "k", type: .int, kind: .partitionKey)],
            clustering: [ColumnSchema(name: "c", type: .int, kind: .clustering)], staticColumns: [],
            regularColumns: [ColumnSchema(name: "v", type: .time, kind: .regular), ColumnSchema(name: "w", type: .text, kind: .regular)])
        let writer = try SSTableWriter(
            directory: folder, generation: 1, schema: schema, options: .init(version: "nb", compressor: nil),
            stats: EncodingStats(minTimestamp: 0, minLocalDeletionTime: 0))
        let long = String(repeating: "x", count: 2000)
        // Row 0's time is one o'clock; row 1's is past the end of a day, which no time can be.
        let rows = [3_600_000_000_000, 86_400_000_000_000].enumerated().map { i, nanos in
            RowUpdate(
                clustering: [Self.be32(i)], liveness: RowLiveness(timestamp: 1),
                cells: [CellUpdate(column: 0, value: Self.be64(nanos), timestamp: 1), CellUpdate(column: 1, value: Array(long.utf8), timestamp: 1)])
        }
        try writer.append(PartitionUpdate(key: Self.be32(7), rows: rows))
        let written = try writer.finish()
        let location = try #require(try SSTableDiscovery.tables(at: folder).first)
        let reader = try TableReader(location: location, schema: schema, now: 1_900_000_000)

        var lines = OutputBuffer(capacity: 16)
        var array = Array("kept".utf8)
        var errors: [String] = []
        try reader.forEachRow { row in
            let mark = lines.count
            do { try row.appendJSONLine(to: &lines) } catch {
                errors.append("\(error)")
                #expect(lines.count == mark)
            }
            let before = array
            do { try row.appendJSON(to: &array) } catch { #expect(array == before) }
        }
        #expect(errors.count == 1)
        #expect(errors.first?.contains(written.dataPath) == true && errors.first?.contains("outside one day") == true, "\(errors)")
        let row0 = "{\"k\":7,\"c\":0,\"v\":\"01:00:00.000000000\",\"w\":\"\(long)\"}"
        #expect(String(decoding: lines.bytes, as: UTF8.self) == row0 + "\n")
        #expect(String(decoding: array, as: UTF8.self) == "kept" + row0)
    }
}
