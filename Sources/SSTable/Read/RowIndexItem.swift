/// One unfiltered (3.0+: a row or range tombstone marker) or atom (2.x: a cell or range
/// tombstone) of a partition as its row index sees it: where it starts in Data.db and its name
/// as the index stores it. `dump --verify` walks these to check row indexes against Data.db.
struct RowIndexItem {
    /// Offset in the uncompressed Data.db; after the last item, of the end-of-partition marker.
    var offset: Int64 = 0
    /// 3.0+: the clustering as `ClusteringPrefix.serializer` writes it (kind byte; bounds:
    /// uint16 size; the values as in rows). 2.x: the cell name (a range tombstone's start).
    var name: [UInt8] = []
    var isRangeTombstone = false
    /// 3.0+ markers: the deletion a start bound or boundary opens; nil for an end bound.
    var opens: DeletionTime?

    /// Fills the item from a 3.0+ row or marker (`widths`: per clustering column, the fixed value
    /// width or -1).
    mutating func fill(from u: Unfiltered, widths: [Int]) {
        name.removeAll(keepingCapacity: true)
        name.append(u.boundKind.rawValue)
        let count = u.clustering.count
        isRangeTombstone = u.kind == .marker
        if isRangeTombstone { name.appendInt16(UInt16(count)) }
        opens = isRangeTombstone && (u.boundKind.isStart || u.boundKind.isBoundary) ? u.deletion : nil
        var batch = 0
        while batch < count {
            let limit = min(count, batch + 32)
            var header: UInt64 = 0
            for i in batch..<limit {
                let slot = u.clustering[i]
                if slot.isNull {
                    header |= 1 << UInt64((i - batch) * 2 + 1)
                } else if slot.start == slot.end {
                    header |= 1 << UInt64((i - batch) * 2)
                }
            }
            name.appendUnsignedVInt(header)
            for i in batch..<limit {
                let slot = u.clustering[i]
                guard !slot.isNull, slot.start != slot.end else { continue }
                if widths[i] < 0 { name.appendUnsignedVInt(Int(slot.end - slot.start)) }
                name.append(contentsOf: u.bytes(slot.start, slot.end))
            }
            batch = limit
        }
    }
}
