/// Where a read of the tokens after a range's start can begin in one `big` SSTable, found
/// through Summary.db and Index.db as `SSTableReader.getPosition` does: the last partition whose
/// token is ≤ `start`. Reading from there (and skipping that partition) misses nothing, because
/// Data.db holds partitions in token order; the key found in Data.db at that position is checked
/// against the index's before anything is read (`MergeSource`).
struct RangeStart {
    /// The index entry to begin at; nil: begin at the start of Data.db.
    var entry: PartitionIndexReader.Entry?
    /// A damaged Summary.db that was read past (Index.db was searched from its start).
    var warning: String?

    /// Finds the start; throws when Index.db cannot be read.
    static func find(after range: TokenRange, in sstable: SSTable, partitioner: Partitioner) throws(SSTableError) -> RangeStart {
        func isAfterStart(_ key: [UInt8]) -> Bool { range.isAfterStart(partitioner.position(of: key).token) }
        let descriptor = sstable.descriptor
        var result = RangeStart()
        // The last sampled key with token ≤ start: Index.db is searched from its entry.
        var from: Int64 = 0
        var sampledKey: [UInt8]?
        var lastKey: [UInt8]?
        let summaryPath = descriptor.path("Summary.db")
        if sstable.hasComponent("Summary.db") {
            do throws(SSTableError) {
                let summary = try IndexSummary.read(summaryPath, version: descriptor.version)
                lastKey = summary.lastKey
                var lo = 0, hi = summary.keys.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if !isAfterStart(summary.keys[mid]) { lo = mid + 1 } else { hi = mid }
                }
                if lo > 0 {
                    from = summary.indexPositions[lo - 1]
                    sampledKey = summary.keys[lo - 1]
                }
            } catch {
                result.warning = "\(error): Index.db is searched from its start"
            }
        } else {
            result.warning = "\(summaryPath): missing: Index.db is searched from its start"
        }
        let index = try PartitionIndexReader(path: descriptor.path("Index.db"), version: descriptor.version)
        if from > 0 {
            index.seek(to: from)
            // A summary that does not match Index.db: search Index.db whole.
            if from >= index.size || (try? index.next())?.key != sampledKey {
                result.warning = "\(summaryPath): entry for Index.db offset \(from) does not match Index.db: Index.db is searched from its start"
                from = 0
            }
            index.seek(to: from)
        }
        var previous: Partitioner.Position?
        var last: [UInt8]?
        while let entry = try index.next() {
            last = entry.key
            let position = partitioner.position(of: entry.key)
            if let previous, partitioner.compare(previous, position) > 0 {
                throw SSTableError(path: index.path, offset: entry.indexOffset, "partition keys out of token order")
            }
            previous = position
            if range.isAfterStart(position.token) { break }
            result.entry = entry
        }
        if index.position >= index.size, let lastKey, last != lastKey {
            throw SSTableError(path: index.path, offset: index.size, "file ends before the SSTable's last partition (Summary.db): it is truncated")
        }
        if let entry = result.entry, entry.dataPosition >= sstable.uncompressedLength {
            throw SSTableError(
                path: index.path, offset: entry.indexOffset, "Data.db position \(entry.dataPosition) is past the end of Data.db (\(sstable.uncompressedLength) bytes)")
        }
        return result
    }
}
