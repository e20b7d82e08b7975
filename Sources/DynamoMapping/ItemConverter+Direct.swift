import CQL
import DynamoModel
import SSTable

/// The direct path: a row's attributes handed out one by one, in name order, straight from the
/// row's bytes, for callers that write items as they go (staging) rather than hold them.
extension ItemConverter {
    /// Where an attribute of the direct path comes from.
    enum DirectSource {
        /// `keys[index]`.
        case key(Int)
        /// A column, by its index in the row, its (unreversed) type, whether the type is a scalar
        /// the direct path writes, and whether its numbers may not be DynamoDB numbers.
        case column(index: Int, type: CQLType, scalar: Bool, checkNumber: Bool)
        case expiry
        case writeTime
    }

    /// The direct path's attributes sorted by name (UTF-8 byte order, as staged items are
    /// written), or nil when every row takes `convert`: statics in an item of their own, or two
    /// different values under one attribute name.
    func directPlan() -> [(name: String, source: DirectSource)]? {
        if design.statics == .item && !schema.staticColumns.isEmpty { return nil }
        var entries: [(name: String, source: DirectSource)] = []
        var keyOfName: [String: KeyDesign] = [:]
        for (i, k) in keys.enumerated() {
            // The same key under one name (an index on the table's own key) is written once.
            if let other = keyOfName[k.key.attribute] {
                guard other == k.key else { return nil }
                continue
            }
            keyOfName[k.key.attribute] = k.key
            entries.append((k.key.attribute, .key(i)))
        }
        for p in plans {
            let type = p.type.unreversed
            let scalar = !type.isCollectionLike && type != .empty
            entries.append((p.attribute, .column(index: p.index, type: type, scalar: scalar, checkNumber: ValueConverter.mayBeInvalidNumber(type))))
        }
        if let ttl = design.ttl { entries.append((ttl.attribute, .expiry)) }
        if let w = design.writetimeAttribute { entries.append((w, .writeTime)) }
        guard Set(entries.map(\.name)).count == entries.count else { return nil }
        return entries.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// Converts one row without building an item: calls `write` with each attribute's index in
    /// ``directAttributes`` and its value (strings valid UTF-8, numbers valid), in that order, and
    /// returns true, the row and its item counted. Returns false when the row needs `convert`
    /// (`write` may have been called for some attributes: the caller drops what it wrote): a value
    /// a policy acts on, a key without a value or too long, a row of static columns only, a
    /// collection, text that is not UTF-8, an item over 400 KB, a value that cannot be decoded.
    package mutating func convertDirect<Row: RowSource>(_ row: Row, write: (_ attribute: Int, _ value: ScalarValue) -> Void) -> Bool {
        guard let names = directAttributes else { return false }
        do {
            if let first = clusteringIndexes.first, try row.withValue(ofColumn: first, { if case .null = $0 { true } else { false } }) {
                return false
            }
            var size = 0
            for (i, source) in directSources.enumerated() {
                let nameSize = names[i].utf8.count
                switch source {
                case .key(let k):
                    let plan = keys[k]
                    let kind = try writeKey(plan, row)
                    guard let fits = keyFits(plan, size: kind == nil ? 0 : kind == .N ? 1 : keyScratch.count) else { return false }
                    guard fits else { continue }
                    let valid = keyScratch.withUnsafeBytes { bytes in
                        let value: ScalarValue = kind == .B ? .binary(bytes) : kind == .N ? .number(bytes) : .string(bytes)
                        if kind == .S, !bytes.isValidUTF8 { return false }
                        size += nameSize + value.size
                        write(i, value)
                        return true
                    }
                    guard valid else { return false }
                case .column(let index, let type, let scalar, let checkNumber):
                    let written = try row.withValue(ofColumn: index) { v throws -> Bool in
                        switch v {
                        case .null:
                            return true
                        case .cells:
                            return false
                        case .counter(let total):
                            values.withInteger(total) { value in
                                size += nameSize + value.size
                                write(i, value)
                            }
                            return true
                        case .value(let bytes):
                            guard scalar else { return false }
                            // nil: empty bytes, no value.
                            return try values.withScalar(bytes, type: type) { value -> Bool in
                                switch value {
                                case .string(let text) where !text.isValidUTF8: return false
                                case .number(let text) where checkNumber && !DynamoNumber.isValid(text): return false
                                default: break
                                }
                                size += nameSize + value.size
                                write(i, value)
                                return true
                            } ?? true
                        }
                    }
                    guard written else { return false }
                case .expiry:
                    guard let expiry = row.expiresAt else { continue }
                    values.withInteger(expiry) { value in
                        size += nameSize + value.size
                        write(i, value)
                    }
                case .writeTime:
                    guard let time = row.writeTime else { continue }
                    values.withInteger(time) { value in
                        size += nameSize + value.size
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
}
