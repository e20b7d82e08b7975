import CQL
import HexCoding

extension CQLType {
    /// The marshal class string Cassandra writes in a serialization header (`AbstractType.toString`):
    /// fully-qualified class names, frozen collections and UDTs wrapped in `FrozenType(...)`
    /// with everything inside written bare.
    var marshalName: String { marshalName(insideFrozen: false) }

    private static let prefix = "org.apache.cassandra.db.marshal."

    private func marshalName(insideFrozen: Bool) -> String {
        let p = Self.prefix
        func wrap(_ inner: String, _ frozen: Bool) -> String {
            frozen && !insideFrozen ? "\(p)FrozenType(\(inner))" : inner
        }
        func element(_ t: CQLType, _ frozenContext: Bool) -> String {
            // Elements are always frozen; inside a non-frozen collection, frozen ones carry their own wrapper.
            t.frozen.marshalName(insideFrozen: frozenContext)
        }
        switch self {
        case .ascii: return p + "AsciiType"
        case .text: return p + "UTF8Type"
        case .tinyint: return p + "ByteType"
        case .smallint: return p + "ShortType"
        case .int: return p + "Int32Type"
        case .bigint: return p + "LongType"
        case .varint: return p + "IntegerType"
        case .decimal: return p + "DecimalType"
        case .float: return p + "FloatType"
        case .double: return p + "DoubleType"
        case .boolean: return p + "BooleanType"
        case .blob: return p + "BytesType"
        case .uuid: return p + "UUIDType"
        case .timeuuid: return p + "TimeUUIDType"
        case .inet: return p + "InetAddressType"
        case .timestamp: return p + "TimestampType"
        case .date: return p + "SimpleDateType"
        case .time: return p + "TimeType"
        case .duration: return p + "DurationType"
        case .counter: return p + "CounterColumnType"
        case .empty: return p + "EmptyType"
        case .list(let e, let frozen):
            let inner = frozen || insideFrozen
            return wrap("\(p)ListType(\(element(e, inner)))", frozen)
        case .set(let e, let frozen):
            let inner = frozen || insideFrozen
            return wrap("\(p)SetType(\(element(e, inner)))", frozen)
        case .map(let k, let v, let frozen):
            let inner = frozen || insideFrozen
            return wrap("\(p)MapType(\(element(k, inner)),\(element(v, inner)))", frozen)
        case .tuple(let types):
            return "\(p)TupleType(" + types.map { element($0, true) }.joined(separator: ",") + ")"
        case .udt(let u, let frozen):
            let inner = frozen || insideFrozen
            let fields = zip(u.fieldNames, u.fieldTypes).map { name, type in
                Self.hex(Array(name.utf8)) + ":" + element(type, inner)
            }
            let body = ([u.keyspace, Self.hex(Array(u.name.utf8))] + fields).joined(separator: ",")
            return wrap("\(p)UserType(\(body))", frozen)
        case .reversed(let base): return "\(p)ReversedType(\(base.marshalName(insideFrozen: insideFrozen)))"
        case .composite(let types):
            return "\(p)CompositeType(" + types.map { $0.marshalName(insideFrozen: insideFrozen) }.joined(separator: ",") + ")"
        case .custom(let name): return name
        }
    }

    private static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }
}
