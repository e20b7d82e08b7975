/// Cuts a partition's rows into row index blocks as Cassandra's writers do (`ColumnIndex` for
/// `big`, `BtiFormatPartitionWriter` for `bti`): a block starts at a row or range tombstone
/// marker and ends after the first one that brings it to `blockSize` bytes or more. The
/// partition header and static row are in no block. A partition of more than one block gets a
/// row index (`IndexWriter`: a promoted index; `BTIIndexWriter`: a Rows.db trie).
struct RowIndexBuilder {
    /// A clustering or bound as written.
    struct Prefix {
        var kind: BoundKind
        var values: [[UInt8]?]
    }

    struct Block {
        var first: Prefix
        var last: Prefix
        /// Offset from the partition's first byte, and length.
        var offset: Int
        var width = 0
        /// The range tombstone deletion open at the block's start (`bti`) and end (`big`).
        var openAtStart: DeletionTime?
        var openAtEnd: DeletionTime?
    }

    let blockSize: Int
    /// `big` (`ColumnIndex`) rather than `bti` rules for the last block.
    let big: Bool
    private(set) var blocks: [Block] = []
    /// Bytes of the partition before its first row: key, deletion, static row.
    private(set) var headerLength = 0
    /// Where the end-of-partition flag is, from the partition's first byte.
    private(set) var endPosition = 0
    private var current: Block?
    private var open: DeletionTime?

    init(blockSize: Int, big: Bool) {
        self.blockSize = blockSize
        self.big = big
    }

    /// Starts a partition whose rows begin `headerLength` bytes in.
    mutating func reset(headerLength: Int) {
        blocks.removeAll(keepingCapacity: true)
        self.headerLength = headerLength
        current = nil
        open = nil
    }

    /// Records the row or marker written from `position` to `end`; `marker`: it is a range
    /// tombstone marker, which leaves `opens` open after it (nil: it closes one).
    mutating func add(_ prefix: Prefix, from position: Int, to end: Int, marker: Bool, opens: DeletionTime?) {
        if current == nil { current = Block(first: prefix, last: prefix, offset: position, openAtStart: open) }
        current!.last = prefix
        if marker { open = opens }
        if end - current!.offset >= blockSize { close(at: end) }
    }

    /// Ends the partition, whose end-of-partition flag is at `flag`. A `big` partition's open
    /// block ends after the flag (`ColumnIndex.finish`); a `bti` one is indexed only when a
    /// block was already (`BtiFormatPartitionWriter.finish`).
    mutating func finish(flagAt flag: Int) {
        endPosition = flag
        if current != nil, big || !blocks.isEmpty { close(at: flag + 1) }
        current = nil
    }

    private mutating func close(at end: Int) {
        guard var block = current else { return }
        block.width = end - block.offset
        block.openAtEnd = open
        blocks.append(block)
        current = nil
    }
}
