import CQL
import DynamoModel
import SSTable

/// The direct path: a row's attributes handed out one by one, in name order, straight from the
/// row's bytes, for callers that write items as they go (staging) rather than hold them.
extension ItemConverter {
    /// One attribute of the direct path.
    struct DirectSlot {
        var source: DirectSource
        /// The attribute name's UTF-8 bytes (its part of the item size).
        var nameSize: Int
    }

    /// Where an attribute of the direct path comes from.
    enum DirectSource {
        /// `keys[index]`; `memo`: the index of its ``KeyMemo`` when the key is made of partition
        /// key columns only, so that the rows of a partition share its value.
        case key(Int, memo: Int?)
        /// A column, by its index in the row, its (unreversed) type, whether the type is a scalar
        /// the direct path writes, and whether its numbers may not be DynamoDB numbers.
        case column(index: Int, type: CQLType, scalar: Bool, checkNumber: Bool)
        case expiry
        case writeTime
    }

    /// What a key comes to in the direct path.
    enum KeyOutcome {
        /// Its bytes (text for `S` and `N`), and its size.
        case value(AttributeKind, size: Int)
        /// None: an index key without a value, the item just not indexed.
        case absent
        /// The row needs `convert` (the invalid-key policy, text that is not UTF-8).
        case convert
    }

    /// The last outcome of a key made of partition key columns, by the columns' bytes (each
    /// length-prefixed): the rows of a partition reuse it.
    struct KeyMemo {
        /// The key's index in `keys`, and its columns' indexes in the row.
        var key: Int
        var columns: [Int]
        var raw: [UInt8] = []
        var outcome = KeyOutcome.convert
        var value: [UInt8] = []
    }

    /// The direct path's attributes sorted by name (UTF-8 byte order, as staged items are
    /// written), or nil when every row takes `convert`: statics in an item of their own, or two
    /// different values under one attribute name.
    func directPlan() -> (names: [String], slots: [DirectSlot], memos: [KeyMemo])? {
        if design.statics == .item && !schema.staticColumns.isEmpty { return nil }
        var entries: [(name: String, source: DirectSource)] = []
        var memos: [KeyMemo] = []
        var keyOfName: [String: KeyDesign] = [:]
        let partitionColumns = Set(schema.partitionKey.map(\.name))
        for (i, k) in keys.enumerated() {
            // The same key under one name (an index on the table's own key) is written once.
            if let other = keyOfName[k.key.attribute] {
                guard other == k.key else { return nil }
                continue
            }
            keyOfName[k.key.attribute] = k.key
            var memo: Int?
            if k.key.columns.allSatisfy(partitionColumns.contains) {
                memo = memos.count
                memos.append(KeyMemo(key: i, columns: k.columns.map(\.index)))
            }
            entries.append((k.key.attribute, .key(i, memo: memo)))
        }
        for p in plans {
            let type = p.type.unreversed
            let scalar = !type.isCollectionLike && type != .empty
            entries.append((p.attribute, .column(index: p.index, type: type, scalar: scalar, checkNumber: ValueConverter.mayBeInvalidNumber(type))))
        }
        if let ttl = design.ttl { entries.append((ttl.attribute, .expiry)) }
        if let w = design.writetimeAttribute { entries.append((w, .writeTime)) }
        guard Set(entries.map(\.name)).count == entries.count else { return nil }
        entries.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        return (entries.map(\.name), entries.map { DirectSlot(source: $0.source, nameSize: $0.name.utf8.count) }, memos)
    }

    /// Converts one row without building an item: calls `write` with each attribute's index in
    /// ``directAttributes`` and its value (strings valid UTF-8, numbers valid), in that order, and
    /// returns true, the row and its item counted. Returns false when the row needs `convert`
    /// (`write` may have been called for some attributes: the caller drops what it wrote): a value
    /// a policy acts on, a key without a value or too long, a row of static columns only, a
    /// collection, text that is not UTF-8, an item over 400 KB, a value that cannot be decoded.
    package mutating func convertDirect<Row: RowSource>(_ row: Row, write: (_ attribute: Int, _ value: ScalarValue) -> Void) -> Bool {
        guard directAttributes != nil else { return false }
        do {
            if let first = clusteringIndexes.first, try row.withValue(ofColumn: first, { if case .null = $0 { true } else { false } }) {
                return false
            }
            var size = 0
            for i in directSlots.indices {
                let nameSize = directSlots[i].nameSize
                switch directSlots[i].source {
                case .key(let k, let memo):
                    let outcome = try memo.map { try recall($0, row) } ?? directKey(k, row)
                    guard case .value(let kind, let valueSize) = outcome else {
                        if case .absent = outcome { continue }
                        return false
                    }
                    (memo.map { keyMemos[$0].value } ?? keyScratch).withUnsafeBytes { bytes in
                        size += nameSize + valueSize
                        write(i, kind == .B ? .binary(bytes) : kind == .N ? .number(bytes) : .string(bytes))
                    }
                case .column(let index, let type, let scalar, let checkNumber):
                    let written = try row.withValue(ofColumn: index) { v throws -> Bool in
                        switch v {
                        case .null:
                            return true
                        case .cells:
                            return false
                        case .counter(let total):
                            values.withInteger(total) { value in
                                if case .number(let text) = value { size += nameSize + ItemSize.numberSize(text) }
                                write(i, value)
                            }
                            return true
                        case .value(let bytes):
                            guard scalar else { return false }
                            // nil: empty bytes, no value.
                            return try values.withScalar(bytes, type: type) { value -> Bool in
                                let valueSize: Int
                                switch value {
                                case .string(let text):
                                    guard text.isValidUTF8 else { return false }
                                    valueSize = text.count
                                case .number(let text):
                                    guard let n = checkNumber ? ItemSize.validNumberSize(text) : ItemSize.numberSize(text) else { return false }
                                    valueSize = n
                                case .binary(let bytes):
                                    valueSize = bytes.count
                                case .bool:
                                    valueSize = 1
                                }
                                size += nameSize + valueSize
                                write(i, value)
                                return true
                            } ?? true
                        }
                    }
                    guard written else { return false }
                case .expiry, .writeTime:
                    let isExpiry = if case .expiry = directSlots[i].source { true } else { false }
                    guard let time = isExpiry ? row.expiresAt : row.writeTime else { continue }
                    values.withInteger(time) { value in
                        if case .number(let text) = value { size += nameSize + ItemSize.numberSize(text) }
                        write(i, value)
                    }
                }
            }
            guard size <= ItemSize.maximumItemBytes else { return false }
        } catch {
            return false
        }
        rowsRead += 1
        itemsWritten += 1
        return true
    }

    /// Key `k`'s outcome, its bytes in `keyScratch`.
    private mutating func directKey<Row: RowSource>(_ k: Int, _ row: Row) throws -> KeyOutcome {
        let plan = keys[k]
        var kind = try writeKey(plan, row)
        var valueSize = keyScratch.count
        if kind == .N {
            // Text that is not a number is no value, as in `convert`.
            if let size = keyScratch.withUnsafeBytes({ ItemSize.validNumberSize($0) }) { valueSize = size } else { kind = nil }
        }
        guard let fits = keyFits(plan, size: kind == nil ? 0 : kind == .N ? 1 : keyScratch.count) else { return .convert }
        guard fits, let kind else { return .absent }
        if kind == .S, !keyScratch.withUnsafeBytes(\.isValidUTF8) { return .convert }
        return .value(kind, size: valueSize)
    }

    /// The outcome of memoized key `memo` for the row, its bytes in `keyMemos[memo].value`:
    /// worked out again only when the row's partition key columns differ from the last row's.
    private mutating func recall<Row: RowSource>(_ memo: Int, _ row: Row) throws -> KeyOutcome {
        memoScratch.removeAll(keepingCapacity: true)
        for column in keyMemos[memo].columns {
            try row.withValue(ofColumn: column) { v in
                guard case .value(let bytes) = v else { return memoScratch.append(0xFF) }
                withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { memoScratch.append(contentsOf: $0) }
                memoScratch.append(contentsOf: bytes)
            }
        }
        if memoScratch != keyMemos[memo].raw {
            swap(&memoScratch, &keyMemos[memo].raw)
            // Until worked out (a key that cannot be decoded throws): the row needs `convert`.
            keyMemos[memo].outcome = .convert
            keyMemos[memo].outcome = try directKey(keyMemos[memo].key, row)
            keyMemos[memo].value.removeAll(keepingCapacity: true)
            keyMemos[memo].value.append(contentsOf: keyScratch)
        }
        return keyMemos[memo].outcome
    }
}
