extension TableReader {
    /// Reads only the partitions with these keys (serialized partition keys, in any order;
    /// any partitioner); call before `forEachRow`. Each `big` SSTable is searched through
    /// Filter.db, Summary.db and Index.db (`PartitionLookup`) and read only at the partitions it
    /// holds; an SSTable whose index cannot be used (and every BTI one) is read from its start,
    /// with a warning, and its other partitions are skipped.
    public func restrict(toKeys keys: [[UInt8]]) throws(SSTableError) {
        var wanted = keys.map { partitioner.position(of: $0) }
        wanted.sort { partitioner.compare($0, $1) < 0 }
        var unique: [Partitioner.Position] = []
        for p in wanted where unique.last.map({ partitioner.compare($0, p) != 0 }) ?? true { unique.append(p) }
        wantedKeys = unique
        for source in mergeSources {
            let sstable = source.scanner.sstable
            guard sstable.descriptor.version.format == "big" else {
                try source.seekPartitions(nil, warning: "\(sstable.descriptor.dataPath): BTI partition index not used yet: read from its start")
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
}
