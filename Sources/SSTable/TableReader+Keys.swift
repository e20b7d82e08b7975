extension TableReader {
    /// Reads only the partitions with these keys (serialized partition keys, in any order;
    /// any partitioner); call before `forEachRow`. Each `big` SSTable is searched through
    /// Filter.db, Summary.db and Index.db (`PartitionLookup`) and read only at the partitions it
    /// holds; each BTI SSTable through Filter.db and Partitions.db, from a partition before each
    /// key on to it (`MergeSource.seekForward`). An SSTable whose index cannot be used is read
    /// from its start, with a warning, and its other partitions are skipped.
    public func restrict(toKeys keys: [[UInt8]]) throws(SSTableError) {
        var wanted = keys.map { partitioner.position(of: $0) }
        wanted.sort { partitioner.compare($0, $1) < 0 }
        var unique: [Partitioner.Position] = []
        for p in wanted where unique.last.map({ partitioner.compare($0, p) != 0 }) ?? true { unique.append(p) }
        wantedKeys = unique
        for source in mergeSources {
            let sstable = source.scanner.sstable
            guard sstable.descriptor.version.format == "big" else {
                try seekBTI(source, to: unique)
                continue
            }
            var entries: [PartitionIndexReader.Entry] = []
            do throws(SSTableError) {
                let lookup = try PartitionLookup(sstable, partitioner)
                for p in unique {
                    if let entry = try lookup.find(p, keyAt: source.partitionKey(at:)) { entries.append(entry) }
                }
                try source.seekPartitions(entries, warning: lookup.warnings.isEmpty ? nil : lookup.warnings.joined(separator: "; "))
            } catch {
                try source.seekPartitions(nil, warning: "\(error): the index is not used, \(sstable.descriptor.dataPath) is read from its start")
            }
        }
    }

    /// A BTI SSTable's point read: Filter.db rules keys out; Partitions.db gives, per key, a
    /// partition with a smaller token to read on from (Murmur3 tables; others are scanned).
    private func seekBTI(_ source: MergeSource, to keys: [Partitioner.Position]) throws(SSTableError) {
        let sstable = source.scanner.sstable
        guard partitioner == .murmur3 else {
            try source.seekPartitions(nil, warning: "\(sstable.descriptor.dataPath): BTI partition indexes are read for Murmur3Partitioner tables only: read from its start")
            return
        }
        do throws(SSTableError) {
            let index = try PartitionIndexBTI(sstable)
            let (filter, warning) = BloomFilter.trusted(for: sstable, bounds: (index.firstKey, index.lastKey))
            var list: [(start: PartitionIndexBTI.Entry?, key: Partitioner.Position)] = []
            for p in keys {
                guard case .long(let token) = p.token else { continue }
                if let filter, !(try filter.mightContain(p.key)) { continue }
                list.append((try index.entry(before: token), p))
            }
            source.seekForward(list, warning: warning)
        } catch {
            try source.seekPartitions(nil, warning: "\(error): the index is not used, \(sstable.descriptor.dataPath) is read from its start")
        }
    }
}
