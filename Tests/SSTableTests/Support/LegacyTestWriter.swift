import Foundation

@testable import SSTable

/// Writes minimal, uncompressed 2.1 (`ka`) SSTables of CQL3 tables, for tests of what no real
/// file here covers (a 2.x node's schema tables): Data.db in the cell format, Statistics.db with
/// the VALIDATION component, TOC.txt. Partitions must be given in the partitioner's order.
enum LegacyTestWriter {
    /// A cell of a CQL3 table: clustering values, column name ("" = row marker), optional
    /// collection key, value.
    struct Cell {
        var clustering: [String]
        var column: String
        var collectionKey: [UInt8]? = nil
        var value: [UInt8]
        var timestamp: Int64 = 1_000
    }

    static func text(_ s: String) -> [UInt8] { Array(s.utf8) }
    static func int(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
    static func bigint(_ v: Int64) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
    static func bool(_ v: Bool) -> [UInt8] { [v ? 1 : 0] }

    /// CompositeType name: per component uint16 length, bytes, end-of-component 0.
    static func composite(_ components: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for c in components {
            out += [UInt8(c.count >> 8), UInt8(c.count & 0xFF)] + c + [0]
        }
        return out
    }

    static func write(directory: URL, keyspace: String, table: String, partitions: [(key: String, cells: [Cell])]) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let prefix = "\(keyspace)-\(table)-ka-1-"
        var data: [UInt8] = []
        func short(_ n: Int) { data += [UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] }
        for (key, cells) in partitions {
            short(key.utf8.count)
            data += Array(key.utf8)
            data += int(Int32.max) + bigint(Int64.min)  // live partition deletion
            let named = cells.map { cell -> ([[UInt8]], Cell) in
                var parts = cell.clustering.map { Array($0.utf8) } + [Array(cell.column.utf8)]
                if let k = cell.collectionKey { parts.append(k) }
                return (parts, cell)
            }.sorted { a, b in a.0.lexicographicallyPrecedes(b.0) { $0.lexicographicallyPrecedes($1) } }
            for (parts, cell) in named {
                let name = composite(parts)
                short(name.count)
                data += name
                data.append(0)  // flags: a live cell
                data += bigint(cell.timestamp) + int(Int32(cell.value.count)) + cell.value
            }
            short(0)  // end of partition
        }
        try Data(data).write(to: directory.appendingPathComponent(prefix + "Data.db"))
        // Statistics.db: a component table with VALIDATION only (partitioner, bloom filter chance).
        var stats: [UInt8] = int(1) + int(0) + int(12)
        let partitioner = Array("org.apache.cassandra.dht.ByteOrderedPartitioner".utf8)
        stats += [UInt8(partitioner.count >> 8), UInt8(partitioner.count & 0xFF)] + partitioner
        stats += withUnsafeBytes(of: (0.01).bitPattern.bigEndian) { Array($0) }
        try Data(stats).write(to: directory.appendingPathComponent(prefix + "Statistics.db"))
        try "Data.db\nStatistics.db\nTOC.txt\n".write(to: directory.appendingPathComponent(prefix + "TOC.txt"), atomically: true, encoding: .utf8)
    }
}
