/// Clusterings as `ClusteringPrefix.serializer` writes them, in rows, markers and `IndexInfo`s.
extension Array where Element == UInt8 {
    /// Values in batches of 32, each led by an unsigned vint with 2 bits per value (bit 2i+1:
    /// null, bit 2i: empty), then each non-empty value: as is for a fixed-width type (`widths[i]
    /// ≥ 0`), else unsigned vint length + bytes.
    mutating func appendClusteringValues(_ values: [[UInt8]?], widths: [Int]) throws(WriteError) {
        var offset = 0
        while offset < values.count {
            let limit = Swift.min(values.count, offset + 32)
            var header: UInt64 = 0
            for i in offset..<limit {
                if let v = values[i] {
                    if v.isEmpty { header |= 1 << UInt64((i - offset) * 2) }
                } else {
                    header |= 1 << UInt64((i - offset) * 2 + 1)
                }
            }
            appendUnsignedVInt(header)
            for i in offset..<limit {
                guard let v = values[i], !v.isEmpty else { continue }
                if widths[i] >= 0 {
                    guard v.count == widths[i] else { throw WriteError("a value of \(v.count) bytes for a type of fixed width \(widths[i])") }
                    append(contentsOf: v)
                } else {
                    appendVIntBytes(v)
                }
            }
            offset = limit
        }
    }

    /// A clustering or bound as an `IndexInfo` stores it: the kind byte; for a bound, its
    /// uint16 size; the values.
    mutating func appendClusteringPrefix(_ prefix: RowIndexBuilder.Prefix, widths: [Int]) throws(WriteError) {
        append(prefix.kind.rawValue)
        if prefix.kind != .clustering { appendInt16(UInt16(prefix.values.count)) }
        try appendClusteringValues(prefix.values, widths: widths)
    }
}
