/// A secondary index (`CREATE [CUSTOM] INDEX`), kept so a DynamoDB design can propose GSIs.
public struct IndexSchema: Sendable, Hashable {
    public var keyspace: String
    public var table: String
    /// The index name; Cassandra's default (`<table>_<column>_idx`) when the statement gives none.
    public var name: String
    public var column: String
    /// `regular`, or the target of `KEYS(…)`, `VALUES(…)`, `ENTRIES(…)`, `FULL(…)`.
    public var target: String
    /// The class of a `CREATE CUSTOM INDEX … USING 'class'`, if any.
    public var customClass: String?

    public init(keyspace: String, table: String, name: String, column: String, target: String = "regular", customClass: String? = nil) {
        self.keyspace = keyspace
        self.table = table
        self.name = name
        self.column = column
        self.target = target
        self.customClass = customClass
    }
}

/// A materialized view (`CREATE MATERIALIZED VIEW`): its base table and primary key.
public struct ViewSchema: Sendable, Hashable {
    public var keyspace: String
    public var name: String
    public var baseTable: String
    public var partitionKey: [String]
    public var clustering: [String]

    public init(keyspace: String, name: String, baseTable: String, partitionKey: [String], clustering: [String]) {
        self.keyspace = keyspace
        self.name = name
        self.baseTable = baseTable
        self.partitionKey = partitionKey
        self.clustering = clustering
    }
}

/// What a CQL schema file declares: keyspaces, user types, tables, indexes and views, in order.
public struct CQLSchema: Sendable, Hashable {
    public var keyspaces: [String]
    public var tables: [TableSchema]
    public var userTypes: [UserType]
    public var indexes: [IndexSchema]
    public var views: [ViewSchema]

    public init(keyspaces: [String] = [], tables: [TableSchema] = [], userTypes: [UserType] = [], indexes: [IndexSchema] = [], views: [ViewSchema] = []) {
        self.keyspaces = keyspaces
        self.tables = tables
        self.userTypes = userTypes
        self.indexes = indexes
        self.views = views
    }

    /// Parses CQL DDL (what `cqlsh DESCRIBE` prints); see `CQLDDLParser`.
    public static func parse(_ text: String) throws(CQLSchemaError) -> CQLSchema {
        try CQLDDLParser.parse(text)
    }

    /// The table named `name`, in `keyspace` when given (else the first table of that name).
    public func table(keyspace: String?, name: String) -> TableSchema? {
        tables.first { $0.name == name && (keyspace == nil || $0.keyspace == keyspace) }
    }

    /// The whole schema as CQL: keyspaces (with a placeholder replication), types, tables, indexes.
    public var createStatements: String {
        var out = ""
        for ks in keyspaces {
            out += "CREATE KEYSPACE IF NOT EXISTS \(CQLIdentifier.quoted(ks)) WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'};\n\n"
        }
        for u in userTypes { out += u.createStatement + "\n\n" }
        for t in tables { out += t.createStatement + "\n\n" }
        for i in indexes {
            let target = i.target == "regular" ? CQLIdentifier.quoted(i.column) : "\(i.target)(\(CQLIdentifier.quoted(i.column)))"
            let table = TableSchema.qualified(i.keyspace, i.table)
            if let custom = i.customClass {
                out += "CREATE CUSTOM INDEX \(CQLIdentifier.quoted(i.name)) ON \(table) (\(target)) USING '\(custom.replacingAll("'", with: "''"))';\n"
            } else {
                out += "CREATE INDEX \(CQLIdentifier.quoted(i.name)) ON \(table) (\(target));\n"
            }
        }
        return out
    }
}

extension UserType {
    /// `CREATE TYPE ks.name (field type, …);`
    public var createStatement: String {
        let fields = zip(fieldNames, fieldTypes).map { "    \(CQLIdentifier.quoted($0)) \($1.frozen.cqlName)" }
        return "CREATE TYPE \(TableSchema.qualified(keyspace, name)) (\n" + fields.joined(separator: ",\n") + "\n);"
    }
}
