import CQL
import Crypto
import DynamoModel
import HexCoding
import SSTable

/// One converted item, ready to stage: the item, its DynamoDB size, and attributes moved to S3
/// (`s3://bucket/key` → value) when the oversize policy is `s3`.
public struct ConvertedItem: Sendable {
    public var item: DynamoItem
    public var size: Int
    public var offloaded: [(key: String, value: AttributeValue)]
}

/// A row the policies say must stop the migration.
public struct ConversionError: Error, Sendable, CustomStringConvertible {
    public var issue: ConversionIssue
    /// The row's primary key as text.
    public var row: String
    public var description: String { "row \(row): \(issue)" }
}

/// Converts CQL rows to DynamoDB items by a `TableDesign`: type mapping, keys, TTL, statics,
/// policies and exact item sizes. One converter per table and thread; it keeps counts.
public struct ItemConverter {
    public let design: TableDesign
    public let schema: TableSchema

    /// Issues seen so far, by kind (rows affected).
    public private(set) var issueCounts: [IssueKind: Int] = [:]
    /// The first few issues of each kind, with the row they happened in.
    public private(set) var samples: [IssueKind: [String]] = [:]
    public internal(set) var rowsRead = 0
    public private(set) var rowsSkipped = 0
    public internal(set) var itemsWritten = 0
    public var samplesPerKind = ItemConverter.defaultSamplesPerKind
    /// Samples kept per issue kind unless set otherwise.
    public static let defaultSamplesPerKind = 5
    /// False for assessments: rows a `fail` policy would stop at are counted (`rowsFailing`), not thrown.
    public var stopOnFailure = true
    /// Rows a `fail` policy would have stopped the migration at (with `stopOnFailure` off).
    public private(set) var rowsFailing = 0

    struct ColumnPlan {
        var index: Int
        var name: String
        var attribute: String
        var type: CQLType
        var isStatic: Bool
    }

    /// A class: rows read it for each key, and a reference is cheaper to pass than its fields.
    final class KeyPlan {
        let key: KeyDesign
        let columns: [(index: Int, type: CQLType, name: String)]
        let limit: Int
        let isTableKey: Bool

        init(key: KeyDesign, columns: [(index: Int, type: CQLType, name: String)], limit: Int, isTableKey: Bool) {
            self.key = key
            self.columns = columns
            self.limit = limit
            self.isTableKey = isTableKey
        }
    }

    var plans: [ColumnPlan] = []
    var keys: [KeyPlan] = []
    var values: ValueConverter
    /// The current key's bytes (``writeKey(_:_:)``).
    var keyScratch: [UInt8] = []
    private let delimiter: UInt8
    private var lastPartition: AttributeValue?
    let clusteringIndexes: [Int]
    /// The attributes of ``convertDirect(_:write:)`` in name order (nil: every row takes
    /// `convert`), where each comes from, and the keys the rows of a partition share.
    package private(set) var directAttributes: [String]?
    var directSlots: [DirectSlot] = []
    var keyMemos: [KeyMemo] = []
    var memoScratch: [UInt8] = []
    /// Where `oversized_item: s3` moves attributes to (`validate` requires it with that policy).
    private let offloadLocation: S3Location?
    private let columnIndex: [String: Int]

    /// `columns` is the order rows give values in (`RowView.columns`; defaults to the schema's
    /// partition key, clustering, then static and regular columns sorted by name).
    public init(design: TableDesign, schema: TableSchema, columns: [ColumnSchema]? = nil) throws(MappingError) {
        let problems = TableDesigner.validate(design, against: schema)
        guard problems.isEmpty else { throw MappingError("mapping for \(design.source): " + problems.joined(separator: "; ")) }
        self.design = design
        self.schema = schema
        let columns = columns ?? ItemConverter.outputOrder(schema)
        values = ValueConverter(timestamps: design.timestampFormat, sets: design.setFormat, policies: design.policies)
        delimiter = design.keyDelimiter.utf8.first ?? UInt8(ascii: "#")
        let index = Dictionary(columns.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        columnIndex = index
        for a in design.attributes where a.include {
            guard let i = index[a.column] else { continue }
            let c = columns[i]
            // A native key already holds this column under the same name.
            if design.allKeys.contains(where: { $0.encoding == .native && $0.columns == [a.column] && $0.attribute == a.attribute }) { continue }
            plans.append(ColumnPlan(index: i, name: c.name, attribute: a.attribute, type: c.type, isStatic: c.kind == .staticColumn))
        }
        func keyPlan(_ key: KeyDesign, limit: Int, table: Bool) throws(MappingError) -> KeyPlan {
            var cols: [(Int, CQLType, String)] = []
            for name in key.columns {
                guard let i = index[name] else { throw MappingError("key \(key.attribute): column \(name) is not in the rows") }
                cols.append((i, columns[i].type, name))
            }
            return KeyPlan(key: key, columns: cols, limit: limit, isTableKey: table)
        }
        keys.append(try keyPlan(design.partitionKey, limit: 2048, table: true))
        if let sk = design.sortKey { keys.append(try keyPlan(sk, limit: 1024, table: true)) }
        for gsi in design.indexes {
            keys.append(try keyPlan(gsi.partitionKey, limit: 2048, table: false))
            if let sk = gsi.sortKey { keys.append(try keyPlan(sk, limit: 1024, table: false)) }
        }
        clusteringIndexes = schema.clustering.compactMap { index[$0.name] }
        offloadLocation = try? design.policies.s3Location.map { try S3Location(url: $0) }
        if let direct = directPlan() { (directAttributes, directSlots, keyMemos) = direct }
    }

    /// The reader's output order: partition key, clustering, static columns, then regular columns
    /// (each group by name, in UTF-8 byte order), as `TableReader.outputColumns`.
    public static func outputOrder(_ schema: TableSchema) -> [ColumnSchema] {
        func byName(_ a: ColumnSchema, _ b: ColumnSchema) -> Bool { Array(a.name.utf8).lexicographicallyPrecedes(Array(b.name.utf8)) }
        return schema.partitionKey + schema.clustering + schema.staticColumns.sorted(by: byName) + schema.regularColumns.sorted(by: byName)
    }

    /// Converts one row and calls `emit` with its item (and, with `statics: item`, the
    /// partition's static item before its first row). Rows a policy skips are counted, not emitted.
    /// Throws `ConversionError` when a policy says `fail`.
    public mutating func convert<Row: RowSource>(_ row: Row, emit: (ConvertedItem) throws -> Void) throws {
        rowsRead += 1
        values.issues.removeAll(keepingCapacity: true)
        do {
            let staticOnly = try !clusteringIndexes.isEmpty && row.withValue(ofColumn: clusteringIndexes[0]) { if case .null = $0 { true } else { false } }
            var item = DynamoItem(minimumCapacity: plans.count + keys.count + 2)
            let staticItemMode = design.statics == .item && !schema.staticColumns.isEmpty
            for k in keys where !(staticOnly && k.isTableKey && k.key === design.sortKey) {
                if let v = try keyValue(k, row) { item[k.key.attribute] = v }
            }
            if staticItemMode {
                let partition = item[design.partitionKey.attribute]
                if partition != lastPartition {
                    lastPartition = partition
                    var s = DynamoItem(minimumCapacity: schema.staticColumns.count + 2)
                    s[design.partitionKey.attribute] = partition
                    s[design.sortKey!.attribute] = .s(design.staticSortKey)
                    var staticValues = 0
                    for p in plans where p.isStatic || schema.partitionKey.contains(where: { $0.name == p.name }) {
                        try row.withValue(ofColumn: p.index) { v in
                            guard let a = try values.attribute(v, type: p.type, column: p.name) else { return }
                            s[p.attribute] = a
                            if p.isStatic { staticValues += 1 }
                        }
                    }
                    if staticValues > 0 {
                        try finish(s, row, emit)
                    }
                }
                if staticOnly { return }
            } else if staticOnly {
                guard let sk = design.sortKey, sk.encoding == .ordered else {
                    throw ValueConverter.RowRejected(issue: ConversionIssue(
                        kind: .staticOnlyPartition, column: nil, message: "static values without rows; the sort key \(design.sortKey?.attribute ?? "") is not an ordered string", action: "skip"))
                }
                item[sk.attribute] = .s(design.staticSortKey)
            }
            for p in plans where !(staticItemMode && p.isStatic) {
                try row.withValue(ofColumn: p.index) { v in if let a = try values.attribute(v, type: p.type, column: p.name) { item[p.attribute] = a } }
            }
            if let ttl = design.ttl, let expiry = row.expiresAt { item[ttl.attribute] = values.withInteger(expiry) { $0.attribute } }
            if let w = design.writetimeAttribute, let t = row.writeTime { item[w] = values.withInteger(t) { $0.attribute } }
            try finish(item, row, emit)
        } catch let rejected as ValueConverter.RowRejected {
            try reject(rejected.issue, row)
        } catch let error as CQLValueError {
            try reject(ConversionIssue(kind: .invalidValue, column: nil, message: error.message, action: "fail"), row)
        }
    }

    /// Size check, oversize policy, counting, emit.
    private mutating func finish<Row: RowSource>(_ item: DynamoItem, _ row: Row, _ emit: (ConvertedItem) throws -> Void) throws {
        for issue in values.issues { note(issue, row) }
        values.issues.removeAll(keepingCapacity: true)
        var item = item
        var size = ItemSize.of(item)
        var offloaded: [(key: String, value: AttributeValue)] = []
        if size > ItemSize.maximumItemBytes {
            let message = "item of \(size) bytes (limit \(ItemSize.maximumItemBytes))"
            switch design.policies.oversizedItem {
            case .fail, .skip:
                throw ValueConverter.RowRejected(issue: ConversionIssue(kind: .oversizedItem, column: nil, message: message, action: design.policies.oversizedItem.rawValue))
            case .s3:
                let location = offloadLocation!  // validated with the policy by TableDesigner.validate
                let keyNames = Set(design.allKeys.map(\.attribute))
                let candidates = item.filter { !keyNames.contains($0.key) }.map { ($0.key, $0.key.utf8.count + ItemSize.of($0.value)) }.sorted { $0.1 > $1.1 }
                let id = keyIdentity(item)
                var moved: [String] = []
                for (name, _) in candidates where size > ItemSize.maximumItemBytes - 200 {
                    let url = location.url(ofKey: location.path("\(design.table)/\(id)/\(name).json"))
                    offloaded.append((url, item[name]!))
                    item[name] = .s(url)
                    moved.append(name)
                    size = ItemSize.of(item) + "_s3_attributes".utf8.count + moved.reduce(0) { $0 + $1.utf8.count }
                }
                item["_s3_attributes"] = .ss(moved.sorted())
                size = ItemSize.of(item)
                note(ConversionIssue(kind: .offloadedToS3, column: moved.joined(separator: ","), message: message, action: "s3"), row)
                if size > ItemSize.maximumItemBytes {
                    throw ValueConverter.RowRejected(issue: ConversionIssue(kind: .oversizedItem, column: nil, message: "keys alone exceed 400 KB", action: "fail"))
                }
            }
        }
        itemsWritten += 1
        try emit(ConvertedItem(item: item, size: size, offloaded: offloaded))
    }

    private mutating func reject<Row: RowSource>(_ issue: ConversionIssue, _ row: Row) throws {
        note(issue, row)
        if issue.action == "fail" {
            if stopOnFailure { throw ConversionError(issue: issue, row: describeKey(row)) }
            rowsFailing += 1
            return
        }
        rowsSkipped += 1
    }

    private mutating func note<Row: RowSource>(_ issue: ConversionIssue, _ row: Row) {
        issueCounts[issue.kind, default: 0] += 1
        if samples[issue.kind, default: []].count < samplesPerKind {
            samples[issue.kind, default: []].append("\(describeKey(row)): \(issue)")
        }
    }

    /// The row's primary key as `pk=…, ck=…` text.
    public func describeKey<Row: RowSource>(_ row: Row) -> String {
        var parts: [String] = []
        var v = values
        for c in schema.partitionKey + schema.clustering {
            guard let i = columnIndex[c.name] else { continue }
            let text = (try? row.withValue(ofColumn: i) { value -> String in
                if case .value(let b) = value { return try v.text(b, type: c.type) }
                return "null"
            }) ?? "?"
            parts.append("\(c.name)=\(text.prefix(80))")
        }
        return parts.joined(separator: ", ")
    }

    /// A name for the item's table key that no other key shares: SHA-256 over each key
    /// attribute's type and length-prefixed bytes, in hex (64 digits).
    func keyIdentity(_ item: DynamoItem) -> String {
        var hasher = SHA256()
        for k in keys where k.isTableKey {
            let (tag, bytes): (UInt8, [UInt8])
            switch item[k.key.attribute] {
            case .s(let s)?: (tag, bytes) = (1, Array(s.utf8))
            case .n(let n)?: (tag, bytes) = (2, Array(n.utf8))
            case .b(let b)?: (tag, bytes) = (3, b)
            default: (tag, bytes) = (0, [])
            }
            let count = UInt32(bytes.count)
            hasher.update(data: [tag, UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)])
            hasher.update(data: bytes)
        }
        return Hex.encode(hasher.finalize())
    }

    /// The value of one key attribute; throws `RowRejected` by the invalid-key policy.
    private mutating func keyValue<Row: RowSource>(_ k: KeyPlan, _ row: Row) throws -> AttributeValue? {
        let value: AttributeValue? = switch try writeKey(k, row) {
        case .N?: keyScratch.withUnsafeBytes { DynamoNumber.isValid($0) } ? .n(String(decoding: keyScratch, as: UTF8.self)) : nil
        case .B?: .b(keyScratch)
        case .some: .s(String(decoding: keyScratch, as: UTF8.self))
        case nil: nil
        }
        let size: Int
        switch value {
        case .s(let s)?: size = s.utf8.count
        case .b(let b)?: size = b.count
        case .n?: size = 1
        default: size = 0
        }
        guard let fits = keyFits(k, size: size) else {
            let key = k.key
            throw ValueConverter.RowRejected(issue: ConversionIssue(
                kind: size == 0 ? .emptyKey : .keyTooLong, column: key.columns.joined(separator: ","),
                message: size == 0 ? "key attribute \(key.attribute) would be empty or invalid" : "key attribute \(key.attribute) is \(size) bytes (limit \(k.limit))",
                action: design.policies.invalidKey.rawValue))
        }
        return fits ? value : nil
    }

    /// Whether a key value of `size` bytes (1 for any number) is stored: true when it fits, false
    /// for an index key without a value (the item is just not indexed), nil when the invalid-key
    /// policy decides (a table key without a value, or a key over its limit).
    func keyFits(_ k: KeyPlan, size: Int) -> Bool? {
        if size == 0 { return k.isTableKey ? nil : false }
        return size > k.limit ? nil : true
    }

    /// Writes one key attribute's value to `keyScratch` (text for `S` and `N`, bytes for `B`) and
    /// returns its type; nil when it has none (a null column). `N` text may not be a number.
    mutating func writeKey<Row: RowSource>(_ k: KeyPlan, _ row: Row) throws -> AttributeKind? {
        keyScratch.removeAll(keepingCapacity: true)
        let key = k.key
        switch key.encoding {
        case .native:
            let c = k.columns[0]
            let present = try row.withValue(ofColumn: c.index) { v throws -> Bool in
                guard case .value(let bytes) = v else { return false }
                if key.type == .B {
                    keyScratch.append(contentsOf: bytes)
                } else {
                    try values.withText(bytes, type: c.type) { keyScratch.append(contentsOf: $0) }
                }
                return true
            }
            guard present else { return nil }
            return key.type == .N || key.type == .B ? key.type : .S
        case .joined:
            for (n, c) in k.columns.enumerated() {
                if n > 0 { keyScratch.append(delimiter) }
                try row.withValue(ofColumn: c.index) { v throws in
                    guard case .value(let bytes) = v else { return }
                    try values.withText(bytes, type: c.type) { text in
                        for b in text {
                            if b == UInt8(ascii: "\\") || b == delimiter { keyScratch.append(UInt8(ascii: "\\")) }
                            keyScratch.append(b)
                        }
                    }
                }
            }
            return .S
        case .ordered:
            for (n, c) in k.columns.enumerated() {
                if n > 0 { keyScratch.append(OrderedKeyEncoding.separator) }
                try row.withValue(ofColumn: c.index) { v throws in
                    if case .value(let bytes) = v { try OrderedKeyEncoding.appendComponent(bytes, type: c.type, to: &keyScratch) }
                }
            }
            return .S
        }
    }
}

extension Optional where Wrapped == KeyDesign {
    fileprivate static func === (a: KeyDesign, b: KeyDesign?) -> Bool { b == a }
}
