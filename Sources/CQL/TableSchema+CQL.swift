extension TableSchema {
    static func qualified(_ keyspace: String, _ name: String) -> String {
        keyspace.isEmpty ? CQLIdentifier.quoted(name) : CQLIdentifier.quoted(keyspace) + "." + CQLIdentifier.quoted(name)
    }

    /// The table as a `CREATE TABLE` statement that `CQLSchema.parse` reads back to an equal schema:
    /// columns (keys, static, regular), `PRIMARY KEY ((a, b), c)`, then `WITH CLUSTERING ORDER BY`,
    /// `COMPACT STORAGE` and the kept options.
    public var createStatement: String {
        var lines: [String] = []
        for c in partitionKey + clustering { lines.append("    \(CQLIdentifier.quoted(c.name)) \(c.type.cqlName)") }
        for c in staticColumns { lines.append("    \(CQLIdentifier.quoted(c.name)) \(c.type.cqlName) static") }
        for c in regularColumns { lines.append("    \(CQLIdentifier.quoted(c.name)) \(c.type.cqlName)") }
        let pk = partitionKey.map { CQLIdentifier.quoted($0.name) }
        var key = partitionKey.count == 1 ? pk[0] : "(" + pk.joined(separator: ", ") + ")"
        for c in clustering { key += ", " + CQLIdentifier.quoted(c.name) }
        lines.append("    PRIMARY KEY (\(key))")
        var text = "CREATE TABLE \(Self.qualified(keyspace, name)) (\n" + lines.joined(separator: ",\n") + "\n)"
        var with: [String] = []
        if !clustering.isEmpty {
            let order = clustering.map { c -> String in
                if case .reversed = c.type { return CQLIdentifier.quoted(c.name) + " DESC" }
                return CQLIdentifier.quoted(c.name) + " ASC"
            }
            with.append("CLUSTERING ORDER BY (" + order.joined(separator: ", ") + ")")
        }
        if isCompactStorage { with.append("COMPACT STORAGE") }
        for key in options.keys.sorted() { with.append("\(key) = \(options[key]!)") }
        if !with.isEmpty { text += " WITH " + with.joined(separator: "\n    AND ") }
        return text + ";"
    }
}
