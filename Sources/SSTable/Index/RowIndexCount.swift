extension SSTable {
    /// How many partitions carry a row index, and how many blocks those indexes hold: from
    /// each Index.db entry's promoted index (`big`), or from Partitions.db and the Rows.db
    /// entries it points to (`bti`). Reads the whole partition index.
    public func rowIndexCount() throws(SSTableError) -> (partitions: Int, blocks: Int) {
        var partitions = 0, blocks = 0
        if descriptor.version.format == "big" {
            let path = descriptor.path("Index.db")
            let index = try PartitionIndexReader(path: path, version: descriptor.version)
            let promoted = try PromotedIndexReader(path: path, version: descriptor.version, clusteringTypes: [])
            while let entry = try index.next() {
                guard entry.promotedIndexSize > 0 else { continue }
                partitions += 1
                blocks += try promoted.open(entry).blockCount
            }
        } else {
            let index: PartitionIndexBTI
            do throws(SSTableError) {
                index = try PartitionIndexBTI(self)
            } catch where descriptor.version.isPreOSSTrie {
                throw SSTableError(path: error.path, "a pre-OSS BTI trie layout, which is not read")
            }
            var walk = try index.walk()
            while let entry = try index.next(&walk) {
                guard let rows = entry.rowsPosition else { continue }
                partitions += 1
                blocks += try index.rowIndex().entry(at: rows).blockCount
            }
        }
        return (partitions, blocks)
    }
}
