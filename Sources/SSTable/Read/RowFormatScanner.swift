import CQL

/// A reader of one SSTable's partitions, each a stream of unfiltereds (rows, static row,
/// range tombstone markers) in clustering order.
protocol PartitionScanner: AnyObject {
    var sstable: SSTable { get }
    /// The columns and types the unfiltereds refer to.
    var header: SerializationHeader { get }
    var partitionKey: [UInt8] { get }
    var partitionDeletion: DeletionTime { get }
    /// Offset of the current partition in the uncompressed Data.db.
    var partitionOffset: Int64 { get }
    /// Moves to the next partition; false at the end of the file.
    func nextPartition() throws(SSTableError) -> Bool
    /// Reads the next unfiltered of the current partition; false at its end.
    func nextUnfiltered(into u: inout Unfiltered) throws(SSTableError) -> Bool
    /// Moves to a partition boundary: the next `nextPartition` reads the partition at `offset`
    /// of the uncompressed Data.db.
    func seek(to offset: Int64) throws(SSTableError)
    /// Bytes read from Data.db so far.
    var dataBytesRead: Int64 { get }
    /// For `dump --verify`: reads the current partition on as its row index sees it, one item
    /// at a time (3.0+: rows and markers, the static row skipped; 2.x: cells and range
    /// tombstones); false at its end, with `item.offset` the end-of-partition marker's.
    func nextIndexItem(into item: inout RowIndexItem) throws(SSTableError) -> Bool
}

/// Streams the partitions and unfiltereds of one 3.0+ SSTable in file order.
final class RowFormatScanner: PartitionScanner {
    let sstable: SSTable
    let parser: UnfilteredParser
    private let input: DataInput

    /// The current partition's serialized key and deletion.
    private(set) var partitionKey: [UInt8] = []
    private(set) var partitionDeletion = DeletionTime.live
    /// Absolute offset of the current partition in the uncompressed data.
    private(set) var partitionOffset: Int64 = 0
    @exclusivity(unchecked) private var inPartition = false
    /// For `nextIndexItem`: the unfiltered read, and each clustering column's fixed width or -1.
    private var indexScratch = Unfiltered()
    private lazy var clusteringWidths = parser.header.clusteringTypes.map { $0.fixedLength ?? -1 }

    var header: SerializationHeader { parser.header }

    /// `header`: the types to parse with (`HeaderCheck.parseHeader`); nil: the file's own.
    init(_ sstable: SSTable, header given: SerializationHeader? = nil) throws(SSTableError) {
        guard let header = given ?? sstable.statistics.header else {
            throw SSTableError(path: sstable.descriptor.path("Statistics.db"), "no serialization header")
        }
        self.sstable = sstable
        parser = UnfilteredParser(header: header, version: sstable.descriptor.version)
        input = try DataInput(
            descriptor: sstable.descriptor, compression: sstable.compression,
            blockChecksumsPath: sstable.hasComponent("CRC.db") ? sstable.descriptor.path("CRC.db") : nil,
            digestPath: sstable.digestComponent.map { sstable.descriptor.path($0) })
    }

    /// Moves to the next partition; false at the end of the file.
    func nextPartition() throws(SSTableError) -> Bool {
        if inPartition {
            var scratch = Unfiltered()
            while try nextUnfiltered(into: &scratch) {}
        }
        if input.isAtEnd { return false }
        if input.start >= input.count, !(try input.refill()) { return false }
        partitionOffset = input.offset(of: input.start)
        let parser = self.parser
        var key: [UInt8] = []
        var deletion = DeletionTime.live
        try input.parse("a partition header") { (c) throws(CursorError) in
            let r = try c.readShortBytes()
            deletion = try parser.readPartitionDeletion(&c)
            key = Array(UnsafeRawBufferPointer(rebasing: c.bytes[r]))
        }
        partitionKey = key
        partitionDeletion = deletion
        inPartition = true
        return true
    }

    func seek(to offset: Int64) throws(SSTableError) {
        try input.seek(to: offset)
        inPartition = false
    }

    var dataBytesRead: Int64 { input.fileBytesRead }

    /// Reads the next row, static row or marker of the current partition into `u`; false at its end.
    func nextUnfiltered(into u: inout Unfiltered) throws(SSTableError) -> Bool {
        guard inPartition else { return false }
        var more = false
        try input.parse("a row") { (c) throws(CursorError) in
            let start = c.position
            more = try self.parser.parse(&c, base: start, into: &u)
            // The row's ranges point into the window, which holds still until this scanner's next read.
            if more { u.window = UnsafeRawBufferPointer(rebasing: c.bytes[start..<c.position]) }
        }
        if !more { inPartition = false }
        return more
    }

    func nextIndexItem(into item: inout RowIndexItem) throws(SSTableError) -> Bool {
        while true {
            item.offset = input.offset(of: input.start)
            guard try nextUnfiltered(into: &indexScratch) else { return false }
            if indexScratch.kind == .staticRow { continue }
            item.fill(from: indexScratch, widths: clusteringWidths)
            return true
        }
    }
}
