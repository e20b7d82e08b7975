import CQL

/// Reads an SSTable whose header orders a clustering column the other way (ASC/DESC) from the
/// schema. Such a file is read as is when its rows follow the schema's order; each unfiltered is
/// compared with the one before it in the schema's order, and the first out of order stops the
/// read with an error naming the file and the columns, before it is handed out. (A file in the
/// opposite order would need each partition reversed; this reader refuses it instead.)
final class OrderCheckedScanner: PartitionScanner {
    private let base: any PartitionScanner
    /// The schema's clustering types.
    private let types: [CQLType]
    /// What the error says about the columns, e.g. `clustering column ck is int DESC in the schema but int ASC in the SSTable header`.
    private let difference: String
    /// A copy of the previous unfiltered's clustering and bound kind (memory reused).
    private var previous = Unfiltered()
    private var hasPrevious = false

    init(_ base: any PartitionScanner, types: [CQLType], difference: String) {
        self.base = base
        self.types = types
        self.difference = difference
    }

    var sstable: SSTable { base.sstable }
    var header: SerializationHeader { base.header }
    var partitionKey: [UInt8] { base.partitionKey }
    var partitionDeletion: DeletionTime { base.partitionDeletion }
    var partitionOffset: Int64 { base.partitionOffset }
    var dataBytesRead: Int64 { base.dataBytesRead }

    func seek(to offset: Int64) throws(SSTableError) {
        hasPrevious = false
        try base.seek(to: offset)
    }

    func nextPartition() throws(SSTableError) -> Bool {
        hasPrevious = false
        return try base.nextPartition()
    }

    func nextIndexItem(into item: inout RowIndexItem) throws(SSTableError) -> Bool { try base.nextIndexItem(into: &item) }

    func nextUnfiltered(into u: inout Unfiltered) throws(SSTableError) -> Bool {
        guard try base.nextUnfiltered(into: &u) else { return false }
        if u.kind == .staticRow { return true }
        if hasPrevious, ClusteringOrder.compare(previous, u, types: types) > 0 {
            throw SSTableError(
                path: sstable.descriptor.dataPath, offset: partitionOffset,
                "rows are not in the schema's clustering order (\(difference)): the file holds them in the opposite order, which this reader does not read")
        }
        previous.reset(kind: u.kind)
        previous.storage.removeAll()
        previous.boundKind = u.boundKind
        for slot in u.clustering {
            if slot.isNull {
                previous.clustering.append(.null)
                continue
            }
            let start = Int32(previous.storage.count)
            previous.storage.append(contentsOf: u.bytes(slot.start, slot.end))
            previous.clustering.append(ClusteringSlot(start: start, end: Int32(previous.storage.count)))
        }
        hasPrevious = true
        return true
    }

    /// Reads up to `limit` unfiltereds from the start of the file, so a file in the opposite
    /// order is refused before any row is handed out (the read itself checks the rest).
    static func verifyStart(of sstable: SSTable, header: SerializationHeader, types: [CQLType], difference: String, limit: Int) throws(SSTableError) {
        let scanner = OrderCheckedScanner(try RowFormatScanner(sstable, header: header), types: types, difference: difference)
        var u = Unfiltered()
        var read = 0
        while read < limit, try scanner.nextPartition() {
            while read < limit, try scanner.nextUnfiltered(into: &u) { read += 1 }
        }
    }
}
