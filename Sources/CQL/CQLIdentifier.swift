/// CQL identifier rules: unquoted names are case-insensitive (lower-cased); a name that is not a
/// plain lower-case identifier, or is a reserved word, is written in double quotes.
public enum CQLIdentifier {
    /// `name` as it must be written in CQL: as is, or in double quotes with `"` doubled.
    public static func quoted(_ name: String) -> String {
        needsQuotes(name) ? "\"" + name.replacingAll("\"", with: "\"\"") + "\"" : name
    }

    /// True when `name` cannot be written bare.
    public static func needsQuotes(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z") else { return true }
        for b in bytes {
            let ok = (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
                || b == UInt8(ascii: "_")
            if !ok { return true }
        }
        return reserved.contains(name)
    }

    /// Cassandra's reserved keywords (`cql3/ReservedKeywords.java`), lower-cased.
    static let reserved: Set<String> = [
        "add", "allow", "alter", "and", "apply", "asc", "authorize", "batch", "begin", "by", "columnfamily",
        "create", "default", "delete", "desc", "describe", "drop", "entries", "execute", "from", "full", "grant",
        "if", "in", "index", "infinity", "insert", "into", "is", "keyspace", "limit", "materialized", "mbean",
        "mbeans", "modify", "nan", "norecursive", "not", "null", "of", "on", "or", "order", "primary", "rename",
        "replace", "revoke", "schema", "select", "set", "table", "to", "token", "truncate", "unlogged", "unset",
        "update", "use", "using", "view", "where", "with",
    ]
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for c in self {
            if c == target { result += replacement } else { result.append(c) }
        }
        return result
    }
}
