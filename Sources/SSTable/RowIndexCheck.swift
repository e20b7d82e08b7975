/// Checks a wide partition's row index against its rows in Data.db (`dump --verify`).
///
/// Index.db (promoted index): each block must start where a row (3.0+: or range tombstone
/// marker; 2.x: a cell or range tombstone) starts, name that row first and the last row before
/// the next block last, end where the next block starts (the last: at the end of the
/// partition), and carry the range tombstone open at its end. Rows.db: each block must start
/// where a row starts, with the range tombstone open there; its key must sort after the
/// previous block's last clustering and at or before its own first (when the clustering types
/// have a byte-comparable form here), and the last key must mark the end of the rows. The
/// partition's deletion and, 3.0+ Index.db, its header length must agree too.
struct RowIndexCheck {
    let scanner: any PartitionScanner
    let rowFormat: Bool
    /// The clustering types' byte-comparable form (Rows.db keys); nil when there is none here.
    let clusteringBytes: ClusteringBytes?

    /// What one partition's check found.
    struct Outcome {
        var blocks = 0
        /// The first disagreement, naming the index file and offset; nil when none.
        var problem: String?
    }

    /// Checks `entry`'s promoted index against the partition the scanner has just entered
    /// (number `partition`, at Data.db byte `offset`), reading the partition to its end.
    /// Index.db problems are returned; Data.db problems are thrown.
    func checkPromotedIndex(
        _ entry: PartitionIndexReader.Entry, reader: PromotedIndexReader, partition: Int, offset: Int64
    ) throws(SSTableError) -> Outcome {
        var outcome = Outcome()
        var item = RowIndexItem(), previous = RowIndexItem()
        var more = true
        func problem(_ at: Int64, _ text: String) {
            outcome.problem = SSTableError(path: reader.path, offset: at, "partition \(partition) (Data.db byte \(offset)): \(text)").description
        }
        /// Moves to the next item; the current one becomes `previous`.
        func advance() throws(SSTableError) {
            swap(&item, &previous)
            more = try scanner.nextIndexItem(into: &item)
        }
        do throws(SSTableError) {
            let header = try reader.open(entry)
            more = try scanner.nextIndexItem(into: &item)
            // 3.0+: the range tombstone open before `item`.
            var open: DeletionTime?
            if header.deletion != scanner.partitionDeletion {
                problem(entry.promotedIndexOffset, "the promoted index's partition deletion is not the partition's")
            } else if let length = header.headerLength, more, offset + length != item.offset {
                problem(entry.promotedIndexOffset, "header length \(length), but the first row starts \(item.offset - offset) bytes into the partition")
            }
            while outcome.problem == nil, let block = try reader.nextBlock() {
                let n = outcome.blocks
                outcome.blocks += 1
                let start = offset + block.offset, end = start + block.width
                guard more, item.offset == start else {
                    problem(block.indexOffset, "row index block \(n) starts at Data.db byte \(start), where no row starts (the next starts at \(item.offset))")
                    break
                }
                // 2.x repeats the range tombstones open at a block's start before its first cell.
                while !rowFormat, more, item.offset < end, item.isRangeTombstone, item.name[...] != block.first { try advance() }
                guard more, item.offset < end, item.name[...] == block.first else {
                    problem(block.indexOffset, "row index block \(n)'s first clustering is not that of the row at Data.db byte \(start)")
                    break
                }
                repeat {
                    if item.isRangeTombstone { open = item.opens }
                    try advance()
                } while more && item.offset < end
                guard previous.name[...] == block.last else {
                    problem(block.indexOffset, "row index block \(n)'s last clustering is not that of the row at Data.db byte \(previous.offset)")
                    break
                }
                if rowFormat, open != block.endOpenMarker {
                    problem(block.indexOffset, "row index block \(n) ends with \(describe(block.endOpenMarker)) open, but Data.db has \(describe(open)) open there")
                    break
                }
                // The last block of a 3.0+ partition may end after the end-of-partition flag.
                guard item.offset == end || (!more && rowFormat && item.offset + 1 == end) else {
                    problem(block.indexOffset, "row index block \(n) ends at Data.db byte \(end), but the next \(more ? "row" : "partition") starts at \(more ? item.offset : item.offset + 1)")
                    break
                }
            }
            if outcome.problem == nil, more {
                problem(entry.promotedIndexOffset, "the row at Data.db byte \(item.offset) is after the row index's last block")
            }
        } catch let error where error.path == reader.path {
            problem(error.offset ?? entry.promotedIndexOffset, error.message)
        }
        while more { more = try scanner.nextIndexItem(into: &item) }
        return outcome
    }

    /// Checks `entry`'s Rows.db row index against the partition the scanner has just entered
    /// (number `partition`, at Data.db byte `offset`), reading the partition to its end.
    /// Rows.db problems are returned; Data.db problems are thrown.
    func checkRowsTrie(_ entry: RowIndexTrie.Entry, trie: RowIndexTrie, partition: Int, offset: Int64) throws(SSTableError) -> Outcome {
        var outcome = Outcome()
        var item = RowIndexItem(), previous = RowIndexItem()
        var more = true
        func problem(_ at: Int64, _ text: String) {
            outcome.problem = SSTableError(path: trie.path, offset: at, "partition \(partition) (Data.db byte \(offset)): \(text)").description
        }
        func key(_ name: [UInt8]) -> [UInt8]? { clusteringBytes?.encode(serialized: name) }
        do throws(SSTableError) {
            more = try scanner.nextIndexItem(into: &item)
            var walk = try trie.walk(entry)
            // The range tombstone open before `item`, and the last clustering before it.
            var open: DeletionTime?
            var previousMax: [UInt8]?
            var block = try trie.next(&walk)
            if entry.deletion != scanner.partitionDeletion {
                problem(entry.position, "the Rows.db entry's partition deletion is not the partition's")
            } else if let first = block, !first.key.isEmpty {
                problem(first.nodePosition, "the row index's first key is not empty")
            }
            while outcome.problem == nil, let current = block {
                let next = try trie.next(&walk)
                let start = offset + current.offset
                guard let next else {
                    // The end of the rows, under a key above the last clustering.
                    if more || item.offset != start || current.openDeletion != nil {
                        problem(current.nodePosition, "the row index's last key points to Data.db byte \(start), not to the end of the partition's rows (\(more ? "a row starts at" : "the end is at") \(item.offset))")
                    } else if let max = previousMax, !max.lexicographicallyPrecedes(current.key) {
                        problem(current.nodePosition, "the row index's last key does not sort after the partition's last clustering")
                    }
                    break
                }
                let n = outcome.blocks
                outcome.blocks += 1
                guard more, item.offset == start else {
                    problem(current.nodePosition, "row index block \(n) starts at Data.db byte \(start), where no row starts (the next starts at \(item.offset))")
                    break
                }
                if current.openDeletion != open {
                    problem(current.nodePosition, "row index block \(n) starts with \(describe(current.openDeletion)) open, but Data.db has \(describe(open)) open there")
                    break
                }
                if let max = previousMax, let first = key(item.name), !(max.lexicographicallyPrecedes(current.key) && !first.lexicographicallyPrecedes(current.key)) {
                    problem(current.nodePosition, "row index block \(n)'s key does not sort between the previous block's last clustering and the first of the row at Data.db byte \(start)")
                    break
                }
                let end = offset + next.offset
                repeat {
                    if item.isRangeTombstone { open = item.opens }
                    swap(&item, &previous)
                    more = try scanner.nextIndexItem(into: &item)
                } while more && item.offset < end
                previousMax = key(previous.name)
                block = next
            }
            if outcome.problem == nil, outcome.blocks != entry.blockCount {
                problem(entry.position, "the Rows.db entry counts \(entry.blockCount) blocks, but its trie holds \(outcome.blocks)")
            }
        } catch let error where error.path == trie.path {
            problem(error.offset ?? entry.position, error.message)
        }
        while more { more = try scanner.nextIndexItem(into: &item) }
        return outcome
    }

    private func describe(_ deletion: DeletionTime?) -> String {
        deletion.map { "a range tombstone (deleted at \($0.markedForDeleteAt))" } ?? "no range tombstone"
    }
}
