import CQL

/// What the writer needs to know about a table's columns: the serialization header it writes
/// and, per header column, how cells are encoded.
struct WriteLayout {
    let header: SerializationHeader
    let clusteringTypes: [CQLType]
    /// Per clustering column: the fixed value width, or -1 for length-prefixed values.
    let clusteringWidths: [Int]
    let staticColumns: [ColumnInfo]
    let regularColumns: [ColumnInfo]

    struct ColumnInfo {
        var name: String
        var type: CQLType
        var isComplex: Bool
        /// Width of values written without a length, or -1.
        var fixedLength: Int
        /// The comparator of cell paths (complex columns).
        var pathType: CQLType
    }

    init(schema: TableSchema, stats: EncodingStats) {
        let keyTypes = schema.partitionKey.map(\.type)
        let keyType: CQLType = keyTypes.count == 1 ? keyTypes[0] : .composite(keyTypes)
        clusteringTypes = schema.clustering.map(\.type)
        clusteringWidths = clusteringTypes.map { $0.fixedLength ?? -1 }
        // Cassandra's column order: simple before complex, then by the unsigned bytes of the name.
        func ordered(_ columns: [ColumnSchema]) -> [SerializationHeader.Column] {
            columns.sorted { a, b in
                if a.type.isMultiCell != b.type.isMultiCell { return !a.type.isMultiCell }
                return Array(a.name.utf8).lexicographicallyPrecedes(Array(b.name.utf8))
            }.map { SerializationHeader.Column(name: $0.name, type: $0.type) }
        }
        let statics = ordered(schema.staticColumns), regulars = ordered(schema.regularColumns)
        header = SerializationHeader(
            minTimestamp: stats.minTimestamp, minLocalDeletionTime: stats.minLocalDeletionTime, minTTL: Int64(stats.minTTL),
            keyType: keyType, clusteringTypes: clusteringTypes, staticColumns: statics, regularColumns: regulars)
        func info(_ c: SerializationHeader.Column) -> ColumnInfo {
            let pathType: CQLType
            switch c.type.unreversed {
            case .list: pathType = .timeuuid
            case .set(let e, _): pathType = e
            case .map(let k, _, _): pathType = k
            default: pathType = .blob
            }
            return ColumnInfo(name: c.name, type: c.type, isComplex: c.type.isMultiCell, fixedLength: c.type.fixedLength ?? -1, pathType: pathType)
        }
        staticColumns = statics.map(info)
        regularColumns = regulars.map(info)
    }

    /// Compares clustering prefixes component by component (nulls first); 0 on a common prefix.
    func comparePrefix(_ a: [[UInt8]?], _ b: [[UInt8]?]) -> Int {
        for i in 0..<min(a.count, b.count) {
            switch (a[i], b[i]) {
            case (nil, nil): continue
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?):
                let order = x.withUnsafeBytes { xb in y.withUnsafeBytes { yb in clusteringTypes[i].compare(xb, yb) } }
                if order != 0 { return order }
            }
        }
        return 0
    }

    /// A bound against a full row clustering: where the bound sorts.
    func compare(bound: [[UInt8]?], kind: BoundKind, row: [[UInt8]?]) -> Int {
        let order = comparePrefix(bound, row)
        return order != 0 ? order : kind.comparedToClustering
    }
}

extension SerializationHeader {
    /// The header as Statistics.db stores it (`SerializationHeader.Serializer`).
    func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.appendUnsignedVInt(UInt64(bitPattern: minTimestamp &- SerializationHeader.timestampEpoch))
        out.appendUnsignedVInt(EncodingStats.intDelta(minLocalDeletionTime, SerializationHeader.deletionTimeEpoch))
        out.appendUnsignedVInt(EncodingStats.intDelta(minTTL, 0))
        out.appendVIntBytes(Array(keyType.marshalName.utf8))
        out.appendUnsignedVInt(clusteringTypes.count)
        for t in clusteringTypes { out.appendVIntBytes(Array(t.marshalName.utf8)) }
        for columns in [staticColumns, regularColumns] {
            out.appendUnsignedVInt(columns.count)
            for c in columns {
                out.appendVIntBytes(Array(c.name.utf8))
                out.appendVIntBytes(Array(c.type.marshalName.utf8))
            }
        }
        return out
    }
}
