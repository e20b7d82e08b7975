/// Finds partitions in one `big` SSTable as `SSTableReader.getPosition` does for an exact key:
/// Filter.db says whether the key may be there, Summary.db (searched in place) which stretch of
/// Index.db holds it, and Index.db its Data.db position. Every index entry read is checked to
/// come in the partitioner's order.
final class PartitionLookup {
    /// A damaged, missing or untrustworthy Filter.db or Summary.db that was read past.
    private(set) var warnings: [String] = []
    private let sstable: SSTable
    private let partitioner: Partitioner
    private var filter: BloomFilter?
    private var summary: SummarySearch?
    private let index: PartitionIndexReader

    /// Opens the SSTable's indexes; throws when Index.db is missing or cannot be opened, which
    /// leaves no way to find a key but to read Data.db.
    init(_ sstable: SSTable, _ partitioner: Partitioner) throws(SSTableError) {
        self.sstable = sstable
        self.partitioner = partitioner
        let descriptor = sstable.descriptor
        let indexPath = descriptor.path("Index.db")
        guard sstable.hasComponent("Index.db") else { throw SSTableError(path: indexPath, "missing") }
        index = try PartitionIndexReader(path: indexPath, version: descriptor.version)
        let summaryPath = descriptor.path("Summary.db")
        if sstable.hasComponent("Summary.db") {
            do throws(SSTableError) {
                summary = try SummarySearch(path: summaryPath, version: descriptor.version)
            } catch {
                warnings.append("\(error): Index.db is searched from its start")
            }
        } else {
            warnings.append("\(summaryPath): missing: Index.db is searched from its start")
        }
        let (filter, warning) = BloomFilter.trusted(for: sstable, bounds: try? summary?.firstAndLastKeys())
        self.filter = filter
        if let warning { warnings.append(warning) }
    }

    /// The Index.db entry of the partition at `target`; nil when the SSTable does not hold it.
    /// Index.db has no checksum: when the filter lets a key through but the index has no entry
    /// for it, the entries on either side of its place are checked against the keys that
    /// `keyAt` reads at their Data.db positions, so a damaged key cannot hide its partition.
    func find(_ target: Partitioner.Position, keyAt: (Int64) throws(SSTableError) -> [UInt8]?) throws(SSTableError) -> PartitionIndexReader.Entry? {
        if let filter, !(try filter.mightContain(target.key)) { return nil }
        let indexPath = index.path
        var from: Int64 = 0
        var sampledKey: [UInt8]?
        if let summary {
            do throws(SSTableError) {
                if let sample = try summary.lastEntry(atOrBefore: target, partitioner) { (sampledKey, from) = (sample.key, sample.indexPosition) }
            } catch {
                warnings.append("\(error): Index.db is searched from its start")
                self.summary = nil
            }
        }
        if from > 0 {
            index.seek(to: from)
            if from >= index.size || (try? index.next())?.key != sampledKey {
                warnings.append("\(summary?.path ?? ""): entry for Index.db offset \(from) does not match Index.db: Index.db is searched from its start")
                summary = nil
                from = 0
            }
        }
        index.seek(to: from)
        var previous: Partitioner.Position?
        var before: PartitionIndexReader.Entry?
        /// Absent: the neighbours must hold their own keys in Data.db.
        func absent(after: PartitionIndexReader.Entry?) throws(SSTableError) -> PartitionIndexReader.Entry? {
            for entry in [before, after].compactMap(\.self) where try keyAt(entry.dataPosition) != entry.key {
                throw SSTableError(path: indexPath, offset: entry.indexOffset, "the entry's Data.db position \(entry.dataPosition) does not hold its partition")
            }
            return nil
        }
        while true {
            guard let entry = try index.next() else {
                // Index.db ended before the key's place: it must end with the SSTable's last key.
                if let summary, let bounds = try? summary.firstAndLastKeys(), before?.key != bounds.last {
                    throw SSTableError(path: indexPath, offset: index.size, "file ends before the SSTable's last partition (Summary.db): it is truncated")
                }
                return try absent(after: nil)
            }
            let position = partitioner.position(of: entry.key)
            if let previous, partitioner.compare(previous, position) >= 0 {
                throw SSTableError(path: indexPath, offset: entry.indexOffset, "partition keys out of the partitioner's order")
            }
            previous = position
            let order = partitioner.compare(position, target)
            if order < 0 {
                before = entry
                continue
            }
            if order > 0 { return try absent(after: entry) }
            guard entry.dataPosition < sstable.uncompressedLength else {
                throw SSTableError(
                    path: indexPath, offset: entry.indexOffset, "Data.db position \(entry.dataPosition) is past the end of Data.db (\(sstable.uncompressedLength) bytes)")
            }
            return entry
        }
    }
}
