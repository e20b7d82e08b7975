import CQL
import Foundation
import TestSupport
import Testing

@testable import SSTable

/// Several SSTables of one table, written by an independent writer (cqlite-py), read as
/// Cassandra would: newest write wins, ties by value, deletions by timestamp, TTL by `now`.
@Suite(CQLitePeer.required) struct MergeTests {
    /// Runs the fixture script into a temporary folder.
    static func writeScenarios() throws -> URL {
        let dir = try SSTableRewriter.temporaryDirectory()
        _ = try runPythonFixture("merge_scenarios.py", [dir.path])
        return dir
    }

    static let schema = TableSchema(
        keyspace: "k", name: "t",
        partitionKey: [ColumnSchema(name: "p", type: .int, kind: .partitionKey)],
        clustering: [ColumnSchema(name: "c", type: .int, kind: .clustering)],
        staticColumns: [ColumnSchema(name: "s", type: .text, kind: .staticColumn)],
        regularColumns: [
            ColumnSchema(name: "v", type: .text, kind: .regular),
            ColumnSchema(name: "l", type: .list(.int, frozen: false), kind: .regular),
            ColumnSchema(name: "st", type: .set(.text, frozen: false), kind: .regular),
            ColumnSchema(name: "m", type: .map(.text, .int, frozen: false), kind: .regular),
        ])

    /// Partitions in Murmur3 token order: 5, 1, 4, 3 (2 is deleted).
    static let live = [
        #"{"p":5,"c":1,"s":null,"l":null,"m":null,"st":null,"v":"ttl"}"#,
        #"{"p":1,"c":1,"s":"stat","l":null,"m":null,"st":null,"v":"a2"}"#,  // newer overwrite wins
        #"{"p":1,"c":2,"s":"stat","l":null,"m":null,"st":null,"v":"tie"}"#,  // equal timestamps: greater value
        #"{"p":1,"c":3,"s":"stat","l":null,"m":null,"st":null,"v":null}"#,  // cell deleted, row marker lives
        #"{"p":1,"c":4,"s":"stat","l":[3,1,2],"m":{"k":1},"st":["a","b"],"v":"lst"}"#,
        #"{"p":1,"c":5,"s":"stat","l":null,"m":null,"st":["only"],"v":null}"#,
        // (1,6) (1,7) range-deleted; (1,8) written at the range tombstone's timestamp: deleted too.
        #"{"p":4,"c":1,"s":null,"l":null,"m":null,"st":null,"v":"old"}"#,  // older write loses
        #"{"p":3,"c":1,"s":null,"l":null,"m":null,"st":null,"v":"y"}"#,  // partition deletion older than data
    ]

    @Test func mergedRowsFollowCassandrasRules() throws {
        let dir = try Self.writeScenarios()
        let now = Int64(Date().timeIntervalSince1970)
        let rows = try ConformanceTests.dump(dir.appendingPathComponent("data/k/t").path, schema: Self.schema, now: now)
        #expect(String(decoding: rows, as: UTF8.self).split(separator: "\n").map(String.init) == Self.live)
        // 200 s later the TTL of 100 s has passed: partition 5's only row is gone.
        let later = try ConformanceTests.dump(dir.appendingPathComponent("data/k/t").path, schema: Self.schema, now: now + 200)
        #expect(String(decoding: later, as: UTF8.self).split(separator: "\n").map(String.init) == Array(Self.live.dropFirst()))
    }

    @Test func murmur3TokensMatchCassandra() {
        // SELECT token(k) for int keys 1…5 on a Murmur3Partitioner cluster.
        let expected: [Int32: Int64] = [
            1: -4_069_959_284_402_364_209, 2: -3_248_873_570_005_575_792, 3: 9_010_454_139_840_013_625,
            4: -2_729_420_104_000_364_805, 5: -7_509_452_495_886_106_294,
        ]
        for (k, token) in expected {
            let bytes = withUnsafeBytes(of: k.bigEndian) { Array($0) }
            #expect(bytes.withUnsafeBytes { Murmur3.token($0) } == token, "key \(k)")
        }
    }
}
