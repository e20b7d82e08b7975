/// The full check of one SSTable (`dump --verify`), which partial reads cannot make: the
/// whole-file Digest over Data.db as stored (compressed or not), every partition of Data.db in
/// the partitioner's order, and Index.db, Summary.db and Filter.db agreeing with Data.db entry
/// by entry. Streams both files side by side: memory does not grow with the SSTable.
public struct SSTableVerification: Sendable {
    /// The SSTable's Data.db.
    public var path: String
    public var partitions = 0
    /// Wide partitions whose row index was checked, and their row index blocks.
    public var rowIndexPartitions = 0
    public var rowIndexBlocks = 0
    /// What was found wrong, one line each, naming the file and offset.
    public var problems: [String] = []
    /// Components checked against Data.db.
    public var checked: [String] = []
    /// Components that could not be checked, with the reason.
    public var notChecked: [String] = []
}

extension TableReader {
    /// Checks every SSTable of the table whole (see `SSTableVerification`); call after
    /// `forEachRow` or instead of it.
    public func verifySSTables() -> [SSTableVerification] {
        mergeSources.map { source in
            var v = SSTableVerification(path: source.scanner.sstable.descriptor.dataPath)
            do throws(SSTableError) {
                try SSTableVerifier(source.scanner, partitioner).run(&v)
            } catch {
                v.problems.append(error.description)
            }
            return v
        }
    }
}

struct SSTableVerifier {
    let scanner: any PartitionScanner
    let partitioner: Partitioner
    var sstable: SSTable { scanner.sstable }

    init(_ scanner: any PartitionScanner, _ partitioner: Partitioner) {
        self.scanner = scanner
        self.partitioner = partitioner
    }

    func run(_ v: inout SSTableVerification) throws(SSTableError) {
        let descriptor = sstable.descriptor
        try checkDigest(&v)
        let isBig = descriptor.version.format == "big"
        var partitionIndex = isBig ? nil : openPartitionIndex(&v)
        let index = isBig && sstable.hasComponent("Index.db") ? try PartitionIndexReader(path: descriptor.path("Index.db"), version: descriptor.version) : nil
        if isBig, index == nil { v.notChecked.append("Index.db: missing") }
        let summary = isBig && sstable.hasComponent("Summary.db") ? try IndexSummary.read(descriptor.path("Summary.db"), version: descriptor.version) : nil
        let filter = sstable.hasComponent("Filter.db") ? try BloomFilter(path: descriptor.path("Filter.db"), version: descriptor.version) : nil
        let promoted = index == nil ? nil : try PromotedIndexReader(path: descriptor.path("Index.db"), version: descriptor.version, clusteringTypes: scanner.header.clusteringTypes)
        let rowIndex = RowIndexCheck(
            scanner: scanner, rowFormat: descriptor.version.isRowFormat, clusteringBytes: ClusteringBytes(types: scanner.header.clusteringTypes))
        var rowIndexProblems = 0
        var indexAgrees = index != nil
        var sample = 0
        var filterMisses = 0
        var first: [UInt8]?, last: [UInt8]?
        var previous: Partitioner.Position?
        try scanner.seek(to: 0)
        while try scanner.nextPartition() {
            let key = scanner.partitionKey, offset = scanner.partitionOffset
            v.partitions += 1
            let position = partitioner.position(of: key)
            if let previous, partitioner.compare(previous, position) >= 0 {
                v.problems.append(SSTableError(path: descriptor.dataPath, offset: offset, "partition out of the partitioner's order").description)
            }
            previous = position
            if first == nil { first = key }
            last = key
            if let filter, !(try filter.mightContain(key)) { filterMisses += 1 }
            if partitionIndex != nil { try check(&partitionIndex!, key: key, offset: offset, rowIndex: rowIndex, &v) }
            guard indexAgrees, let index else { continue }
            let at = index.position
            guard let entry = try index.next() else {
                v.problems.append(SSTableError(path: index.path, offset: at, "ends before Data.db's partition at byte \(offset)").description)
                indexAgrees = false
                continue
            }
            guard entry.key == key, entry.dataPosition == offset else {
                v.problems.append(SSTableError(
                    path: index.path, offset: entry.indexOffset,
                    "entry \(v.partitions) names Data.db byte \(entry.dataPosition), but Data.db's partition \(v.partitions) is at byte \(offset)\(entry.key == key ? "" : " with another key")").description)
                indexAgrees = false
                continue
            }
            if entry.promotedIndexSize > 0, let promoted {
                let outcome = try rowIndex.checkPromotedIndex(entry, reader: promoted, partition: v.partitions, offset: offset)
                v.rowIndexPartitions += 1
                v.rowIndexBlocks += outcome.blocks
                if let problem = outcome.problem {
                    v.problems.append(problem)
                    rowIndexProblems += 1
                }
            }
            if let summary {
                while sample < summary.keys.count, summary.indexPositions[sample] <= entry.indexOffset {
                    if summary.indexPositions[sample] != entry.indexOffset || summary.keys[sample] != key {
                        v.problems.append(SSTableError(path: descriptor.path("Summary.db"), "sample \(sample) (Index.db byte \(summary.indexPositions[sample])) does not match an Index.db entry").description)
                    }
                    sample += 1
                }
            }
        }
        if indexAgrees, let index {
            if index.position < index.size {
                v.problems.append(SSTableError(path: index.path, offset: index.position, "has entries past Data.db's last partition").description)
            } else {
                v.checked.append("Index.db")
                if v.rowIndexPartitions > 0, rowIndexProblems == 0 {
                    v.checked.append("the row index of \(v.rowIndexPartitions) wide partition(s) (\(v.rowIndexBlocks) blocks)")
                }
            }
        }
        if let partitionIndex { finish(partitionIndex, first: first, last: last, &v) }
        if let summary, indexAgrees {
            let before = v.problems.count
            if sample < summary.keys.count {
                v.problems.append(SSTableError(path: descriptor.path("Summary.db"), "\(summary.keys.count - sample) samples point past Index.db's entries").description)
            }
            if v.partitions > 0, summary.firstKey != first || summary.lastKey != last {
                v.problems.append(SSTableError(path: descriptor.path("Summary.db"), "its first and last keys are not Data.db's").description)
            }
            if v.problems.count == before { v.checked.append("Summary.db") }
        }
        if let filter {
            if filterMisses > 0 {
                v.problems.append(SSTableError(path: filter.path, "does not hold \(filterMisses) of the \(v.partitions) partition keys: it would hide them from point reads").description)
            } else {
                v.checked.append("Filter.db")
            }
        }
    }

    /// The whole-file Digest: Data.db as stored, Adler32 before `ma`, CRC32 from `ma` on (a
    /// `jb` SHA-1 digest is not checked).
    private func checkDigest(_ v: inout SSTableVerification) throws(SSTableError) {
        guard let component = sstable.digestComponent else {
            v.notChecked.append("Digest: the SSTable has none")
            return
        }
        let path = sstable.descriptor.path(component)
        let text = String(decoding: try SSTableStorage.open(path).readAll(limit: 4096), as: UTF8.self).trimmingWhitespace()
        guard let expected = UInt32(text) else {
            v.notChecked.append("\(component): not a decimal checksum")
            return
        }
        let crc = sstable.descriptor.version.usesCRC32Checksums
        let file = try SSTableStorage.open(sstable.descriptor.dataPath)
        var sum: UInt32 = crc ? 0 : 1
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset: Int64 = 0
        while offset < file.size {
            let n = Int(min(Int64(buffer.count), file.size - offset))
            var failure: SSTableError?
            buffer.withUnsafeMutableBytes { raw in
                let part = UnsafeMutableRawBufferPointer(rebasing: raw[0..<n])
                do throws(SSTableError) { try file.read(into: part, at: offset) } catch { failure = error }
                sum = crc ? Checksum.crc32(continuing: sum, UnsafeRawBufferPointer(part)) : Checksum.adler32(continuing: sum, UnsafeRawBufferPointer(part))
            }
            if let failure { throw failure }
            offset += Int64(n)
        }
        if sum == expected {
            v.checked.append(component)
        } else {
            v.problems.append(SSTableError(path: sstable.descriptor.dataPath, "does not match \(component) (\(expected), the file gives \(sum)): it was changed or damaged").description)
        }
    }
}
