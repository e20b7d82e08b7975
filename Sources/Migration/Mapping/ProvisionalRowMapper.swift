import AWS
import CQL
import SSTable

/// A stand-in for DynamoMapping's converter (issue 5) so the pipeline runs end to end before it
/// lands. Deliberately simple: every non-null column becomes an attribute of the same name, by way
/// of the row's `SELECT JSON` encoding; a single-column partition or clustering key keeps its name,
/// composite keys become `pk` / `sk` strings joined with `#`. No TTL, no indexes.
///
/// Replace by passing DynamoMapping's factory to the pipeline; nothing else depends on this type.
public struct ProvisionalRowMapper: RowMapper {
    public let design: TableDesign
    private let partitionKeyCount: Int
    private let clusteringCount: Int

    public static let factory: RowMapperFactory = { schema, prefix in try ProvisionalRowMapper(schema: schema, tablePrefix: prefix) }

    public init(schema: TableSchema, tablePrefix: String) throws {
        func keyType(_ columns: [ColumnSchema]) -> String {
            guard columns.count == 1 else { return "S" }
            switch columns[0].type.unreversed {
            case .tinyint, .smallint, .int, .bigint, .varint, .decimal, .float, .double, .counter: return "N"
            case .blob: return "B"
            default: return "S"
            }
        }
        let pk = schema.partitionKey
        let ck = schema.clustering
        let pkName = pk.count == 1 ? pk[0].name : "pk"
        let sortKey = ck.isEmpty ? nil : KeyAttribute(name: ck.count == 1 ? ck[0].name : "sk", type: keyType(ck))
        design = TableDesign(tableName: tablePrefix + schema.name, partitionKey: KeyAttribute(name: pkName, type: keyType(pk)), sortKey: sortKey)
        partitionKeyCount = pk.count
        clusteringCount = ck.count
    }

    public func convert(_ row: RowView) throws -> RowConversion {
        var json: [UInt8] = []
        try row.appendJSON(to: &json)
        guard case .object(let members) = try JSONParser.parse(json) else { return .rejected("row is not a JSON object") }
        var item = DynamoItem(minimumCapacity: members.count + 2)
        var pkParts: [String] = [], skParts: [String] = []
        let columns = row.columns
        for (index, (name, value)) in members.enumerated() {
            let type = index < columns.count ? columns[index].type.unreversed : .text
            if index < partitionKeyCount + clusteringCount {
                guard let text = Self.keyText(value) else { return .rejected("key column \(name) is null") }
                if index < partitionKeyCount { pkParts.append(text) } else { skParts.append(text) }
            }
            guard let attribute = Self.attribute(value, type: type) else { continue }
            item[name] = attribute
        }
        if partitionKeyCount > 1 { item["pk"] = .s(pkParts.joined(separator: "#")) }
        if clusteringCount > 1 { item["sk"] = .s(skParts.joined(separator: "#")) }
        for key in design.keyNames {
            switch item[key] {
            case .s(let s)? where s.isEmpty: return .rejected("key attribute \(key) is an empty string")
            case .b(let b)? where b.isEmpty: return .rejected("key attribute \(key) is empty binary")
            case nil: return .rejected("key attribute \(key) is missing")
            default: break
            }
        }
        if let pk = item[design.partitionKey.name], Self.keyBytes(pk) > 2048 {
            return .rejected("partition key \(design.partitionKey.name) is \(Self.keyBytes(pk)) bytes, over DynamoDB's 2048")
        }
        if let sortKey = design.sortKey, let sk = item[sortKey.name], Self.keyBytes(sk) > 1024 {
            return .rejected("sort key \(sortKey.name) is \(Self.keyBytes(sk)) bytes, over DynamoDB's 1024")
        }
        let size = ItemSize.of(item)
        if size > ItemSize.maximumItemBytes { return .rejected("item is \(size) bytes, over DynamoDB's 400 KB limit") }
        return .item(item)
    }

    static func keyBytes(_ value: AttributeValue) -> Int {
        switch value {
        case .s(let s): s.utf8.count
        case .b(let b): b.count
        case .n(let n): ItemSize.numberSize(n)
        default: 0
        }
    }

    static func keyText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): s
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        case .null: nil
        default: nil
        }
    }

    /// The attribute for one JSON value of CQL type `type`; nil for null / empty collections.
    static func attribute(_ value: JSONValue, type: CQLType) -> AttributeValue? {
        switch value {
        case .null: return nil
        case .bool(let b): return .bool(b)
        case .number(let n): return .n(n)
        case .string(let s):
            if case .blob = type, s.hasPrefix("0x"), let bytes = hexBytes(s.dropFirst(2)) { return .b(bytes) }
            return .s(s)
        case .array(let elements):
            switch type {
            case .set(let element, _):
                let converted = elements.compactMap { attribute($0, type: element.unreversed) }
                guard !converted.isEmpty else { return nil }
                if case let strings = converted.compactMap({ if case .s(let s) = $0 { s } else { nil } }), strings.count == converted.count {
                    return .ss(strings)
                }
                if case let numbers = converted.compactMap({ if case .n(let s) = $0 { s } else { nil } }), numbers.count == converted.count {
                    return .ns(numbers)
                }
                if case let blobs = converted.compactMap({ if case .b(let s) = $0 { s } else { nil } }), blobs.count == converted.count {
                    return .bs(blobs)
                }
                return .l(converted)
            case .list(let element, _):
                return .l(elements.map { attribute($0, type: element.unreversed) ?? .null })
            case .tuple(let types):
                return .l(elements.enumerated().map { i, e in attribute(e, type: i < types.count ? types[i].unreversed : .text) ?? .null })
            default:
                return .l(elements.map { attribute($0, type: .text) ?? .null })
            }
        case .object(let members):
            var map: [String: AttributeValue] = [:]
            for (i, (key, element)) in members.enumerated() {
                let elementType: CQLType
                switch type {
                case .map(_, let v, _): elementType = v.unreversed
                case .udt(let udt, _): elementType = i < udt.fieldTypes.count ? udt.fieldTypes[i].unreversed : .text
                default: elementType = .text
                }
                map[key] = attribute(element, type: elementType) ?? .null
            }
            return .m(map)
        }
    }

    static func hexBytes(_ hex: Substring) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for c in hex.utf8 {
            let v: UInt8
            switch c {
            case 48...57: v = c - 48
            case 97...102: v = c - 87
            case 65...70: v = c - 55
            default: return nil
            }
            if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
        }
        return high == nil ? out : nil
    }
}
