extension CQLType: CustomStringConvertible {
    /// The type as CQL writes it (``cqlName``): what every message shows of a type.
    public var description: String { cqlName }

    /// The type as written in CQL DDL: `int`, `frozen<list<int>>`, `map<text, frozen<set<uuid>>>`,
    /// `tuple<int, text>`, `frozen<address>`. A `reversed` type shows its base type (DESC belongs to
    /// the table's CLUSTERING ORDER, not the type); unknown marshal classes show as `'ClassName'`.
    public var cqlName: String {
        switch self {
        case .ascii: return "ascii"
        case .text: return "text"
        case .tinyint: return "tinyint"
        case .smallint: return "smallint"
        case .int: return "int"
        case .bigint: return "bigint"
        case .varint: return "varint"
        case .decimal: return "decimal"
        case .float: return "float"
        case .double: return "double"
        case .boolean: return "boolean"
        case .blob: return "blob"
        case .uuid: return "uuid"
        case .timeuuid: return "timeuuid"
        case .inet: return "inet"
        case .timestamp: return "timestamp"
        case .date: return "date"
        case .time: return "time"
        case .duration: return "duration"
        case .counter: return "counter"
        case .empty: return "'org.apache.cassandra.db.marshal.EmptyType'"
        case .list(let e, let frozen): return Self.wrap("list<\(e.frozen.cqlName)>", frozen)
        case .set(let e, let frozen): return Self.wrap("set<\(e.frozen.cqlName)>", frozen)
        case .map(let k, let v, let frozen): return Self.wrap("map<\(k.frozen.cqlName), \(v.frozen.cqlName)>", frozen)
        case .tuple(let types): return "tuple<" + types.map { $0.frozen.cqlName }.joined(separator: ", ") + ">"
        case .udt(let u, let frozen): return Self.wrap(CQLIdentifier.quoted(u.name), frozen)
        case .reversed(let base): return base.cqlName
        case .composite(let types):
            return "'CompositeType(" + types.map { $0.cqlName }.joined(separator: ",") + ")'"
        case .custom(let name): return "'" + name.replacingAll("'", with: "''") + "'"
        }
    }

    private static func wrap(_ s: String, _ frozen: Bool) -> String { frozen ? "frozen<\(s)>" : s }
}
