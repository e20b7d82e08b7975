import Foundation
import TestSupport
import Testing

/// `dump --key JSON`: the built binary prints exactly the rows of the partitions named, in the
/// whole dump's order, for single and composite partition keys; keys no SSTable holds print
/// nothing; a key that does not fit the table is a one-line error in CQL words.
struct PointReadCLITests {
    /// The whole dump of a generated profile, its lines grouped by partition key.
    static func generated(_ profile: String, key columns: [String]) async throws -> (dump: [String], dir: TempDir, lines: [String: [String]], order: [String]) {
        let dir = TempDir("point-read-\(profile)")
        let binary = try TestPaths.binary()
        let generated = try await runProgram(binary, [
            "generate", "--profile", profile, "--rows", "3000", "--sstables", "3", "--out", dir.path, "--now", "1750000000",
        ])
        #expect(generated.status == 0, "\(generated.stderr)")
        let dump = ["dump", dir.path, "--schema", dir.path + "/schema.cql", "--now", "1750000000"]
        let whole = try await runProgram(binary, dump)
        #expect(whole.status == 0, "\(whole.stderr)")
        var lines: [String: [String]] = [:]
        var order: [String] = []
        for line in whole.text.split(separator: "\n").map(String.init) {
            let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            // The key as a JSON object of its columns (written by JSONSerialization, not by us).
            let key = String(decoding: try JSONSerialization.data(withJSONObject: columns.reduce(into: [String: Any]()) { $0[$1] = row[$1] }, options: [.sortedKeys]), as: UTF8.self)
            if lines[key] == nil { order.append(key) }
            lines[key, default: []].append(line)
        }
        #expect(order.count > 100)
        return (dump, dir, lines, order)
    }

    @Test(arguments: [("users", ["user_id"]), ("orders", ["customer_id", "order_month"])])
    func keysPrintTheirPartitions(profile: String, columns: [String]) async throws {
        let t = try await Self.generated(profile, key: columns)
        let binary = try TestPaths.binary()
        let picked = [t.order[0], t.order[t.order.count / 2], t.order[t.order.count - 1]]
        for key in picked {
            let one = try await runProgram(binary, t.dump + ["--key", key])
            #expect(one.status == 0 && one.stderr.isEmpty, "\(key): \(one.stderr)")
            #expect(one.text == t.lines[key]!.map { $0 + "\n" }.joined(), "\(key)")
        }
        // Several keys, in any order and repeated: the partitions in the dump's order.
        let several = try await runProgram(binary, t.dump + picked.reversed().flatMap { ["--key", $0] } + ["--key", picked[0]])
        #expect(several.status == 0 && several.text == picked.flatMap { t.lines[$0]! }.map { $0 + "\n" }.joined(), "\(several.stderr)")
    }

    @Test func keysThatDoNotFitAreOneLineErrors() async throws {
        let t = try await Self.generated("orders", key: ["customer_id", "order_month"])
        let binary = try TestPaths.binary()
        let absent = try await runProgram(binary, t.dump + ["--key", #"{"customer_id": "00000000-0000-4000-8000-000000000000", "order_month": "1999-01"}"#])
        #expect(absent.status == 0 && absent.text.isEmpty && absent.stderr.isEmpty, "\(absent.stderr)")
        for (key, message) in [
            (#"{"customer_id": "00000000-0000-4000-8000-000000000000"}"#, "order_month"),
            (#"{"customer_id": "00000000-0000-4000-8000-000000000000", "order_month": "x", "colour": 1}"#, "colour"),
            (#"{"customer_id": "not a uuid", "order_month": "x"}"#, "uuid"),
            (#"{"customer_id": "00000000-0000-4000-8000-000000000000", "order_month": "x""#, "--key"),
        ] {
            let result = try await runProgram(binary, t.dump + ["--key", key])
            #expect(result.status == 1 && result.text.isEmpty, "\(key): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.contains(message) && result.stderr.hasPrefix("cass2dynamo: error: --key "), "\(key): \(result.stderr)")
            #expect(!result.stderr.contains("CQLValueError") && !result.stderr.contains("Swift."), "\(result.stderr)")
        }
        let usage = try await runProgram(binary, t.dump + ["--key", "{}", "--verify"])
        #expect(usage.status == 64, "\(usage.stderr)")
    }
}
