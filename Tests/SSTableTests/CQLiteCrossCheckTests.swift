import CQL
import Foundation
import TestSupport
import Testing

@testable import SSTable

/// The built-in sample keyspace read by an independent reader, cqlite-py, agrees with ours:
/// same rows in the same order, same scalar values (cqlite 0.17 mis-reads non-frozen
/// collections, so those are compared against the values the sample generator wrote instead).
@Suite(CQLitePeer.required) struct CQLiteCrossCheckTests {
    static func cqliteRows() throws -> [[String: Any]] {
        let root = TestPaths.packageRoot
        let arguments = [root.appendingPathComponent("Samples").path, root.appendingPathComponent("Samples/shop.cql").path, "shop.customers", "shop.orders"]
        let data = try runPythonFixture("cqlite_read.py", arguments)
        return try parseJSONLines(data).map { $0 as! [String: Any] }
    }

    @Test func sampleKeyspaceAgreesWithCQLite() throws {
        let theirs = try Self.cqliteRows()
        let root = TestPaths.packageRoot
        let schema = try CQLSchema.parse(try String(contentsOf: root.appendingPathComponent("Samples/shop.cql"), encoding: .utf8))
        var ours: [[String: Any]] = []
        for table in ["customers", "orders"] {
            let data = try ConformanceTests.dump(root.appendingPathComponent("Samples/shop/\(table)").path, schema: try #require(schema.table(keyspace: "shop", name: table)))
            ours += try parseJSONLines(data).map { ($0 as! [String: Any]).merging(["$table": "shop.\(table)"]) { a, _ in a } }
        }
        #expect(ours.count == theirs.count)
        #expect(ours.count == 7)
        let collections: Set<String> = ["tags", "prefs", "items"]
        for (a, b) in zip(ours, theirs) {
            for (key, value) in b where !collections.contains(key) {
                #expect(jsonMatches(expected: value, actual: a[key] ?? NSNull()), "\(key): ours \(a[key] ?? "nil"), cqlite \(value)")
            }
        }
        // The collections as Samples/make_shop.py wrote them, after its second SSTable's changes.
        #expect((ours[0]["tags"] as? [String]) == ["early", "vip"])
        #expect((ours[0]["prefs"] as? [String: String]) == ["lang": "en", "theme": "dark"])
        #expect((ours[5]["items"] as? [String]) == ["pen", "ink"])
    }
}
