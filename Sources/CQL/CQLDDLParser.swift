/// Parses CQL DDL files (what `cqlsh -e "DESCRIBE KEYSPACE ks"` prints) into a `CQLSchema`.
///
/// Models CREATE KEYSPACE, CREATE TYPE, CREATE TABLE/COLUMNFAMILY, CREATE [CUSTOM] INDEX, CREATE
/// MATERIALIZED VIEW, `USE` and `ALTER TABLE … DROP` (the column is recorded as dropped at its
/// `USING TIMESTAMP`, else for all its cells). Other statements (functions, aggregates, other
/// ALTERs, DROP, INSERT, …) are skipped. Unquoted names are lower-cased, quoted ones keep their case. Errors give the line
/// and column: `line 3, column 14: expected ')'`.
public struct CQLDDLParser {
    private var s: CQLTokenStream
    private var schema = CQLSchema()
    private var currentKeyspace: String?

    /// Parses every statement of `text`.
    public static func parse(_ text: String) throws(CQLSchemaError) -> CQLSchema {
        var parser = CQLDDLParser(s: CQLTokenStream(try CQLLexer.tokenize(text)))
        while !parser.s.atEnd {
            try parser.parseStatement()
        }
        return parser.schema
    }

    private init(s: CQLTokenStream) { self.s = s }

    private mutating func parseStatement() throws(CQLSchemaError) {
        if s.acceptSymbol(";") { return }
        if s.acceptKeyword("use") {
            currentKeyspace = try s.expectIdentifier("a keyspace name")
            try endStatement()
            return
        }
        if s.current.isKeyword("alter"), s.peek(1).isKeyword("table") || s.peek(1).isKeyword("columnfamily") {
            s.advance(); s.advance()
            try parseAlterTable()
            return
        }
        guard s.current.isKeyword("create") else { s.skipStatement(); return }
        let next = s.peek(1)
        if next.isKeyword("keyspace") || next.isKeyword("schema") {
            s.advance(); s.advance()
            try parseIfNotExists()
            let name = try s.expectIdentifier("a keyspace name")
            if !schema.keyspaces.contains(name) { schema.keyspaces.append(name) }
            s.skipStatement()
        } else if next.isKeyword("type") {
            s.advance(); s.advance()
            try parseType()
        } else if next.isKeyword("table") || next.isKeyword("columnfamily") {
            s.advance(); s.advance()
            try parseTable()
        } else if next.isKeyword("index") || (next.isKeyword("custom") && s.peek(2).isKeyword("index")) {
            s.advance()
            try parseIndex()
        } else if next.isKeyword("materialized") && s.peek(2).isKeyword("view") {
            s.advance(); s.advance(); s.advance()
            try parseView()
        } else {
            s.skipStatement()
        }
    }

    private mutating func endStatement() throws(CQLSchemaError) {
        guard s.acceptSymbol(";") || s.atEnd else { throw s.error("expected ';'\(s.found)") }
    }

    private mutating func parseIfNotExists() throws(CQLSchemaError) {
        if s.acceptKeyword("if") {
            try s.expectKeyword("not")
            try s.expectKeyword("exists")
        }
    }

    private func keyspace(_ explicit: String?) -> String { explicit ?? currentKeyspace ?? "" }

    private mutating func parseColumnType(keyspace: String) throws(CQLSchemaError) -> CQLType {
        let types = schema.userTypes
        return try CQLTypeParser.parseType(&s) { explicit, name in
            let ks = explicit ?? keyspace
            return types.last { $0.keyspace == ks && $0.name == name }
                ?? (explicit == nil ? types.last { $0.name == name } : nil)
        }
    }

    // MARK: ALTER TABLE … DROP

    /// `ALTER TABLE [IF EXISTS] [ks.]t DROP [IF EXISTS] (c | (c1, c2)) [USING TIMESTAMP µs]`: the
    /// columns leave the table and are recorded as dropped; without a timestamp every cell of
    /// theirs counts as written before the drop. Other ALTERs are skipped.
    private mutating func parseAlterTable() throws(CQLSchemaError) {
        if s.acceptKeyword("if") { try s.expectKeyword("exists") }
        let nameToken = s.current
        let (ks, name) = try s.expectQualifiedName("a table name")
        guard s.acceptKeyword("drop") else { s.skipStatement(); return }
        if s.acceptKeyword("if") { try s.expectKeyword("exists") }
        var columns: [String] = []
        if s.acceptSymbol("(") {
            repeat { columns.append(try s.expectIdentifier("a column name")) } while s.acceptSymbol(",")
            try s.expectSymbol(")")
        } else {
            columns.append(try s.expectIdentifier("a column name"))
        }
        var droppedAt = Int64.max
        if s.acceptKeyword("using") {
            try s.expectKeyword("timestamp")
            guard s.current.kind == .number, let t = Int64(s.current.text) else { throw s.error("expected a timestamp in microseconds\(s.found)") }
            droppedAt = t
            s.advance()
        }
        try endStatement()
        let keyspace = keyspace(ks)
        guard let index = schema.tables.lastIndex(where: { $0.keyspace == keyspace && $0.name == name }) else {
            throw s.error("ALTER TABLE of \(keyspace).\(name), which no CREATE TABLE before it defines", at: nameToken)
        }
        for column in columns {
            guard let kind = schema.tables[index].allColumns.first(where: { $0.name == column })?.kind else { continue }
            guard kind == .regular || kind == .staticColumn else { throw s.error("cannot drop the primary key column \(column)", at: nameToken) }
            schema.tables[index].staticColumns.removeAll { $0.name == column }
            schema.tables[index].regularColumns.removeAll { $0.name == column }
            schema.tables[index].droppedColumns[column] = droppedAt
        }
    }

    // MARK: CREATE TYPE

    private mutating func parseType() throws(CQLSchemaError) {
        try parseIfNotExists()
        let (ks, name) = try s.expectQualifiedName("a type name")
        let keyspace = keyspace(ks)
        try s.expectSymbol("(")
        var names: [String] = [], types: [CQLType] = []
        if !s.current.isSymbol(")") {
            repeat {
                let field = try s.expectIdentifier("a field name")
                if names.contains(field) { throw s.error("duplicate field '\(field)'") }
                names.append(field)
                types.append(try parseColumnType(keyspace: keyspace).frozen)
            } while s.acceptSymbol(",")
        }
        try s.expectSymbol(")")
        try endStatement()
        schema.userTypes.removeAll { $0.keyspace == keyspace && $0.name == name }
        schema.userTypes.append(UserType(keyspace: keyspace, name: name, fieldNames: names, fieldTypes: types))
    }

    // MARK: CREATE TABLE

    private struct KeySpec {
        var partition: [(String, CQLToken)] = []
        var clustering: [(String, CQLToken)] = []
    }

    /// `(a, b), c` or `a, c` — after `PRIMARY KEY (` up to but excluding `)`.
    private mutating func parseKeySpec() throws(CQLSchemaError) -> KeySpec {
        var spec = KeySpec()
        if s.acceptSymbol("(") {
            repeat {
                let t = s.current
                spec.partition.append((try s.expectIdentifier("a partition key column"), t))
            } while s.acceptSymbol(",")
            try s.expectSymbol(")")
        } else {
            let t = s.current
            spec.partition.append((try s.expectIdentifier("a partition key column"), t))
        }
        while s.acceptSymbol(",") {
            let t = s.current
            spec.clustering.append((try s.expectIdentifier("a clustering column"), t))
        }
        return spec
    }

    private mutating func parseTable() throws(CQLSchemaError) {
        try parseIfNotExists()
        let nameToken = s.current
        let (ks, name) = try s.expectQualifiedName("a table name")
        let keyspace = keyspace(ks)
        try s.expectSymbol("(")
        var columns: [(name: String, type: CQLType, isStatic: Bool, token: CQLToken)] = []
        var key: KeySpec?
        repeat {
            if s.current.isKeyword("primary") && s.peek(1).isKeyword("key") {
                let t = s.current
                s.advance(); s.advance()
                guard key == nil else { throw s.error("more than one PRIMARY KEY", at: t) }
                try s.expectSymbol("(")
                key = try parseKeySpec()
                try s.expectSymbol(")")
                continue
            }
            let t = s.current
            let column = try s.expectIdentifier("a column name")
            if columns.contains(where: { $0.name == column }) { throw s.error("duplicate column '\(column)'", at: t) }
            let type = try parseColumnType(keyspace: keyspace)
            var isStatic = false
            while true {
                if s.acceptKeyword("static") {
                    isStatic = true
                } else if s.current.isKeyword("primary") {
                    s.advance()
                    try s.expectKeyword("key")
                    guard key == nil else { throw s.error("more than one PRIMARY KEY", at: t) }
                    key = KeySpec(partition: [(column, t)])
                } else {
                    break
                }
            }
            columns.append((column, type, isStatic, t))
        } while s.acceptSymbol(",")
        try s.expectSymbol(")")
        guard let key else { throw s.error("table '\(name)' has no PRIMARY KEY", at: nameToken) }

        var table = TableSchema(keyspace: keyspace, name: name, partitionKey: [])
        func column(_ entry: (String, CQLToken), _ kind: ColumnKind) throws(CQLSchemaError) -> ColumnSchema {
            guard let c = columns.first(where: { $0.name == entry.0 }) else {
                throw s.error("unknown column '\(entry.0)' in PRIMARY KEY", at: entry.1)
            }
            if c.isStatic { throw s.error("key column '\(c.name)' cannot be static", at: entry.1) }
            return ColumnSchema(name: c.name, type: c.type, kind: kind)
        }
        table.partitionKey = try key.partition.map { e throws(CQLSchemaError) in try column(e, .partitionKey) }
        table.clustering = try key.clustering.map { e throws(CQLSchemaError) in try column(e, .clustering) }
        let keyNames = Set((key.partition + key.clustering).map(\.0))
        for c in columns where !keyNames.contains(c.name) {
            if c.isStatic {
                table.staticColumns.append(ColumnSchema(name: c.name, type: c.type, kind: .staticColumn))
            } else {
                table.regularColumns.append(ColumnSchema(name: c.name, type: c.type, kind: .regular))
            }
        }
        if s.acceptKeyword("with") { try parseTableOptions(&table) }
        try endStatement()
        schema.tables.removeAll { $0.keyspace == keyspace && $0.name == name }
        schema.tables.append(table)
    }

    private mutating func parseTableOptions(_ table: inout TableSchema) throws(CQLSchemaError) {
        repeat {
            if s.acceptKeyword("clustering") {
                try s.expectKeyword("order")
                try s.expectKeyword("by")
                try s.expectSymbol("(")
                var position = 0
                repeat {
                    let t = s.current
                    let name = try s.expectIdentifier("a clustering column")
                    guard let index = table.clustering.firstIndex(where: { $0.name == name }) else {
                        throw s.error("'\(name)' is not a clustering column", at: t)
                    }
                    guard index == position else { throw s.error("CLUSTERING ORDER must list the clustering columns in key order", at: t) }
                    position += 1
                    if s.acceptKeyword("desc") {
                        table.clustering[index].type = .reversed(table.clustering[index].type.unreversed)
                    } else {
                        _ = s.acceptKeyword("asc")
                    }
                } while s.acceptSymbol(",")
                try s.expectSymbol(")")
            } else if s.acceptKeyword("compact") {
                try s.expectKeyword("storage")
                table.isCompactStorage = true
            } else {
                var name = try s.expectIdentifier("a table option")
                while s.acceptSymbol(".") { name += "." + (try s.expectIdentifier("a table option")) }
                try s.expectSymbol("=")
                table.options[name] = try optionValue()
            }
        } while s.acceptKeyword("and")
    }

    /// The option value's tokens up to `AND`/`;` outside brackets, as normalized CQL text.
    private mutating func optionValue() throws(CQLSchemaError) -> String {
        var text = ""
        var depth = 0
        var previous: CQLToken?
        let start = s.current
        while !s.atEnd {
            let t = s.current
            if depth == 0 && (t.isSymbol(";") || t.isKeyword("and")) { break }
            if t.isSymbol("{") || t.isSymbol("[") || t.isSymbol("(") { depth += 1 }
            if t.isSymbol("}") || t.isSymbol("]") || t.isSymbol(")") {
                depth -= 1
                if depth < 0 { throw s.error("unbalanced '\(t.text)'") }
            }
            if let p = previous, Self.spaceBetween(p, t) { text += " " }
            text += t.cqlText
            previous = t
            s.advance()
        }
        guard !text.isEmpty else { throw s.error("expected an option value\(s.found)", at: start) }
        guard depth == 0 else { throw s.error("unbalanced brackets in option value", at: start) }
        return text
    }

    private static func spaceBetween(_ a: CQLToken, _ b: CQLToken) -> Bool {
        if a.kind == .symbol && ["{", "[", "(", "-", "."].contains(a.text) { return false }
        if b.kind == .symbol && ["}", "]", ")", ",", ":", "-", "."].contains(b.text) { return false }
        return true
    }

    // MARK: CREATE INDEX / MATERIALIZED VIEW

    private mutating func parseIndex() throws(CQLSchemaError) {
        let custom = s.acceptKeyword("custom")
        try s.expectKeyword("index")
        try parseIfNotExists()
        var indexName: String?
        if !s.current.isKeyword("on") { indexName = try s.expectIdentifier("an index name") }
        try s.expectKeyword("on")
        let (ks, table) = try s.expectQualifiedName("a table name")
        try s.expectSymbol("(")
        var target = "regular"
        if ["keys", "values", "entries", "full"].contains(s.current.text), s.current.kind == .identifier, s.peek(1).isSymbol("(") {
            target = s.current.text
            s.advance(); s.advance()
        }
        let column = try s.expectIdentifier("an indexed column")
        if target != "regular" { try s.expectSymbol(")") }
        try s.expectSymbol(")")
        var customClass: String?
        if s.acceptKeyword("using") {
            guard s.current.kind == .string else { throw s.error("expected an index class string\(s.found)") }
            customClass = s.current.text
            s.advance()
        } else if custom {
            throw s.error("expected USING\(s.found)")
        }
        s.skipStatement()
        schema.indexes.append(IndexSchema(
            keyspace: keyspace(ks), table: table, name: indexName ?? "\(table)_\(column)_idx", column: column,
            target: target, customClass: customClass))
    }

    private mutating func parseView() throws(CQLSchemaError) {
        try parseIfNotExists()
        let (ks, name) = try s.expectQualifiedName("a view name")
        try s.expectKeyword("as")
        try s.expectKeyword("select")
        while !s.atEnd && !s.current.isKeyword("from") && !s.current.isSymbol(";") { s.advance() }
        try s.expectKeyword("from")
        let (_, base) = try s.expectQualifiedName("a base table name")
        while !s.atEnd && !(s.current.isKeyword("primary") && s.peek(1).isKeyword("key")) && !s.current.isSymbol(";") { s.advance() }
        s.advance(); s.advance()
        try s.expectSymbol("(")
        let key = try parseKeySpec()
        try s.expectSymbol(")")
        s.skipStatement()
        schema.views.append(ViewSchema(
            keyspace: keyspace(ks), name: name, baseTable: base, partitionKey: key.partition.map(\.0),
            clustering: key.clustering.map(\.0)))
    }
}
