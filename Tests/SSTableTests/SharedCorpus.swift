import Foundation
import TestSupport
import Testing

/// The real SSTables in `../shared/sstables/cassandra`, read in place.
enum SharedCorpus {
    static let root = URL(fileURLWithPath: TestPaths.cassandra)

    /// Runs a test when the corpus is present, and always in CI (where the missing files fail it
    /// loudly); elsewhere a missing corpus shows the test as skipped, with the reason.
    static let required = ConditionTrait.enabled(
        if: FileManager.default.fileExists(atPath: root.path) || TestPaths.isCI, "needs the shared corpus at ../shared/sstables/cassandra")

    /// Table folders of a version: `<version>/<keyspace>/<table>/`.
    static func tables(version: String) -> [URL] {
        let versionDir = root.appendingPathComponent(version)
        let fm = FileManager.default
        var found: [URL] = []
        for ks in (try? fm.contentsOfDirectory(atPath: versionDir.path)) ?? [] {
            let ksDir = versionDir.appendingPathComponent(ks)
            for t in (try? fm.contentsOfDirectory(atPath: ksDir.path)) ?? [] { found.append(ksDir.appendingPathComponent(t)) }
        }
        return found.sorted { $0.path < $1.path }
    }

    static func expected(version: String, table: String) -> URL {
        root.appendingPathComponent("expected/\(version)/\(table).jsonl")
    }

    static func schema(version: String) -> URL { root.appendingPathComponent("expected/\(version)/schema.cql") }
}

/// Compares a produced JSON value with an expected one, where `{"$regex": ...}` must match.
func jsonMatches(expected: Any, actual: Any) -> Bool {
    if let e = expected as? [String: Any], e.count == 1, let pattern = e["$regex"] as? String {
        guard let s = actual as? String, let regex = try? Regex(pattern) else { return false }
        return s.contains(regex)
    }
    if let e = expected as? [String: Any] {
        guard let a = actual as? [String: Any], Set(e.keys) == Set(a.keys) else { return false }
        return e.allSatisfy { k, v in jsonMatches(expected: v, actual: a[k]!) }
    }
    if let e = expected as? [Any] {
        guard let a = actual as? [Any], a.count == e.count else { return false }
        return zip(e, a).allSatisfy { jsonMatches(expected: $0, actual: $1) }
    }
    if let e = expected as? Bool, let a = actual as? Bool, type(of: expected) == type(of: actual) { return e == a }
    if let e = expected as? NSNumber, let a = actual as? NSNumber {
        // As check_dump.py: numbers are equal when their values are.
        return e.doubleValue == a.doubleValue && (e.doubleValue.magnitude > 1e15 ? e.stringValue == a.stringValue : true)
    }
    if expected is NSNull { return actual is NSNull }
    if let e = expected as? String { return (actual as? String) == e }
    return false
}

/// Parses JSON Lines.
func parseJSONLines(_ data: Data) throws -> [Any] {
    try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
        try JSONSerialization.jsonObject(with: Data($0.utf8), options: [.fragmentsAllowed])
    }
}
