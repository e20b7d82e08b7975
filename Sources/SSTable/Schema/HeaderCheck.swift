import CQL

/// One SSTable's serialization header checked against the schema by Cassandra's rules
/// (`SerializationHeader.Component.toHeader`, `SSTableHeaderFix`, `AbstractType.isCompatibleWith`
/// / `isValueCompatibleWith`): which differences are read, with which types, and which refused.
struct HeaderCheck {
    /// The header the rows are parsed with: the file's types, with the cell layout (simple or
    /// complex) the schema gives a top-level frozen UDT the header records as non-frozen.
    var parseHeader: SerializationHeader
    /// The header the table layout takes column types from: the schema's type wherever Cassandra
    /// reads the written values through it, else the file's.
    var layoutHeader: SerializationHeader
    /// One line per accepted difference, naming the file, the column and both types.
    var notes: [String] = []
    /// Clustering columns the header orders the other way (ASC/DESC) from the schema, each as
    /// `clustering column ck is int DESC in the schema but int ASC in the SSTable header`.
    var orderDifferences: [String] = []

    init(schema: TableSchema, header: SerializationHeader, path: String) throws(SSTableError) {
        parseHeader = header
        layoutHeader = header
        let table = "\(schema.keyspace).\(schema.name)"
        let keyTypes = header.keyTypes
        guard keyTypes.count == schema.partitionKey.count else {
            throw SSTableError(path: path, "schema \(table) has \(schema.partitionKey.count) partition key columns but the SSTable has \(keyTypes.count)")
        }
        for (column, type) in zip(schema.partitionKey, keyTypes) {
            guard let read = Self.resolveKey(schema: column.type, header: type) else {
                throw SSTableError(path: path, "partition key column \(column.name) is \(Self.cql(column.type, beside: type)) in the schema but \(Self.cql(type, beside: column.type)) in the SSTable")
            }
            note(path, "partition key column", column.name, column.type, type, read.why)
        }
        let expectedClustering = schema.clustering.isEmpty && schema.isCompactStorage ? header.clusteringTypes.count : schema.clustering.count
        guard header.clusteringTypes.count == expectedClustering else {
            throw SSTableError(path: path, "schema \(table) has \(schema.clustering.count) clustering columns but the SSTable has \(header.clusteringTypes.count)")
        }
        for (i, (column, type)) in zip(schema.clustering, header.clusteringTypes).enumerated() {
            let s = column.type
            guard let read = Self.resolveKey(schema: s.unreversed, header: type.unreversed) else {
                throw SSTableError(path: path, "clustering column \(column.name) is \(Self.order(s)) in the schema but \(Self.order(type)) in the SSTable")
            }
            // The merge orders rows by the schema's direction.
            layoutHeader.clusteringTypes[i] = s.isReversed ? .reversed(read.layout) : read.layout
            if s.isReversed != type.isReversed {
                let difference = "clustering column \(column.name) is \(Self.order(s)) in the schema but \(Self.order(type)) in the SSTable header"
                orderDifferences.append(difference)
                notes.append("\(path): \(difference); read in the schema's order, which the rows are checked to follow (the values are written the same)")
            }
            note(path, "clustering column", column.name, s.unreversed, type.unreversed, read.why)
        }
        // Value columns the SSTable stores must read as the schema's type (a dropped column is skipped).
        let byName = Dictionary((schema.staticColumns + schema.regularColumns).map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        for isStatic in [true, false] {
            let columns = isStatic ? header.staticColumns : header.regularColumns
            var parse = columns, layout = columns
            for (i, stored) in columns.enumerated() {
                guard let s = byName[stored.name], schema.droppedColumns[stored.name] == nil else { continue }
                guard let read = Self.resolveValue(schema: s, header: stored.type) else {
                    throw SSTableError(path: path, "column \(stored.name) is \(Self.cql(s, beside: stored.type)) in the schema but \(Self.cql(stored.type, beside: s)) in the SSTable")
                }
                parse[i].type = read.parse
                layout[i].type = read.layout
                note(path, "column", stored.name, s, stored.type, read.why)
            }
            if isStatic {
                parseHeader.staticColumns = parse
                layoutHeader.staticColumns = layout
            } else {
                parseHeader.regularColumns = parse
                layoutHeader.regularColumns = layout
            }
        }
    }

    private mutating func note(_ path: String, _ kind: String, _ name: String, _ s: CQLType, _ h: CQLType, _ why: String?) {
        guard let why else { return }
        // A nested frozen flag does not show in CQL, where nested types are always frozen.
        let a = Self.cql(s, beside: h), b = Self.cql(h, beside: s)
        let types = a == b ? "\(a) in the schema and in the SSTable header (as CQL)" : "\(a) in the schema but \(b) in the SSTable header"
        notes.append("\(path): \(kind) \(name) is \(types); read as \(why)")
    }

    /// How a value column reads: the type its cells are parsed with, the type the layout decodes
    /// them as, and why an accepted difference is read (nil: none worth a word).
    typealias Reading = (parse: CQLType, layout: CQLType, why: String?)

    /// A header that is the schema's type as Cassandra writes it differs in nothing.
    private static func same(_ s: CQLType, _ h: CQLType) -> Bool { s.headerForm == h }

    /// Partition key and clustering columns: `isCompatibleWith` (the order must be the same).
    static func resolveKey(schema s: CQLType, header h: CQLType) -> Reading? {
        if same(s, h) { return (h, s, nil) }
        if s.isCompatible(with: h) { return (h, s, whyCompatible(s, h)) }
        if acceptedLeniently(s, h) { return (h, h, lenient(h)) }
        return nil
    }

    /// Static and regular columns: `isValueCompatibleWith`, with the cell layout (simple or
    /// complex) of the schema for a frozen UDT written as non-frozen (CASSANDRA-15035).
    static func resolveValue(schema s: CQLType, header h: CQLType) -> Reading? {
        if same(s, h) { return (h, s, nil) }
        if s.isMultiCell != h.isMultiCell {
            if case .udt = s, case .udt = h, h.isMultiCell, s.frozen.isValueCompatible(with: h.frozen) {
                return (h.frozen, s, "\(s): Cassandra 3.0 wrote frozen user types without FrozenType (CASSANDRA-15035); their cells are frozen")
            }
            // The header's own cell layout, as this reader has always read it.
            let aligned = h.isMultiCell ? s.unfrozen : s.frozen
            if aligned.isValueCompatible(with: h) || acceptedLeniently(aligned, h) {
                return (h, h, lenient(h) + "; the SSTable's cells are \(h.isMultiCell ? "one per element" : "whole values")")
            }
            return nil
        }
        if s.isValueCompatible(with: h) { return (h, s, whyCompatible(s, h)) }
        if acceptedLeniently(s, h) { return (h, h, lenient(h)) }
        return nil
    }

    private static func whyCompatible(_ s: CQLType, _ h: CQLType) -> String {
        if s.nestedFrozen == h.nestedFrozen {
            return "\(s): the header records a nested type's frozen flag differently (CASSANDRA-15035); nested values are always written frozen"
        }
        return "\(s): Cassandra reads \(h) values as \(s) (AbstractType.isValueCompatibleWith)"
    }

    private static func lenient(_ h: CQLType) -> String { "\(h), the type the SSTable wrote" }

    /// Pairs Cassandra refuses but this reader has always read with the header's type: a blob or
    /// custom type on either side.
    private static func acceptedLeniently(_ s: CQLType, _ h: CQLType) -> Bool {
        switch (s.unreversed, h.unreversed) {
        case (.blob, _), (_, .blob), (.custom, _), (_, .custom): return true
        default: return false
        }
    }

    /// `t` in CQL; when it prints as `other` does, followed by its user types' fields.
    static func cql(_ t: CQLType, beside other: CQLType) -> String {
        let text = "\(t)"
        guard text == "\(other)" else { return text }
        var fields: [String] = []
        func collect(_ t: CQLType) {
            switch t {
            case .list(let e, _), .set(let e, _), .reversed(let e): collect(e)
            case .map(let k, let v, _): collect(k); collect(v)
            case .tuple(let ts), .composite(let ts): ts.forEach(collect)
            case .udt(let u, _):
                fields.append("\(u.name) {" + zip(u.fieldNames, u.fieldTypes).map { "\($0) \($1.frozen)" }.joined(separator: ", ") + "}")
                u.fieldTypes.forEach(collect)
            default: break
            }
        }
        collect(t)
        return fields.isEmpty ? text : text + " with " + fields.joined(separator: ", ")
    }

    /// A clustering type in CQL with its order.
    private static func order(_ t: CQLType) -> String { "\(t.unreversed) \(t.isReversed ? "DESC" : "ASC")" }
}

extension CQLType {
    /// True for a `ReversedType` (a DESC clustering column).
    var isReversed: Bool {
        if case .reversed = self { return true }
        return false
    }
}
