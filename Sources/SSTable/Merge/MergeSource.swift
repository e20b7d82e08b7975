/// One SSTable's cursor in a merge: its current partition, its current unfiltered and the range
/// tombstone it has open.
final class MergeSource {
    let scanner: any PartitionScanner
    /// SSTables with the same folder and generation are copies of one SSTable in different
    /// formats (e.g. `big` and `bti`); they share a group.
    let copyGroup: Int
    /// Static and regular header column index → slot (-1 = not read). Owned here, so the
    /// per-row path reads them without reference counting.
    let staticSlots: UnsafeMutableBufferPointer<Int32>
    let regularSlots: UnsafeMutableBufferPointer<Int32>
    /// The current partition's position; nil once the SSTable is exhausted.
    var position: Partitioner.Position?
    var partitionDeletion = DeletionTime.live
    /// The static row of the current partition (kept apart: `current` moves on).
    /// The per-row fields are read many times a row on one thread, never while being written:
    /// `@exclusivity(unchecked)` spares each read a runtime access-tracking call.
    @exclusivity(unchecked) var staticRow = Unfiltered()
    @exclusivity(unchecked) var hasStatic = false
    @exclusivity(unchecked) var current = Unfiltered()
    @exclusivity(unchecked) var hasCurrent = false
    /// The deletion of the range tombstone this SSTable has open at the merge position.
    var openDeletion = DeletionTime.live
    /// 2.x range tombstones may overlap: each open one with its end bound, until the merge passes it.
    var openRanges: [(end: Unfiltered, deletion: DeletionTime)] = []
    /// Cells of columns the schema neither has nor has dropped, skipped so far (3.0+).
    var unknownCells = 0
    /// A range read moved the scanner to this Index.db entry: the key read there must be its key.
    private var seekCheck: PartitionIndexReader.Entry?
    /// A range read of a BTI SSTable moved the scanner to this Partitions.db entry (see `seekBTI`).
    private var btiSeekCheck: (entry: PartitionIndexBTI.Entry, before: Int64)?
    /// Why a range read of this SSTable could not use its index (it reads from the start instead).
    private(set) var indexWarning: String?
    /// True when the scanner was moved away from the start of Data.db.
    private var seeked = false
    /// A point read's partitions in this SSTable, in order (`seekPartitions`); nil: read on in
    /// file order.
    private var targets: [PartitionIndexReader.Entry]?
    /// A point read of a BTI SSTable (`seekForward`): per wanted key, the Partitions.db entry
    /// of a partition certainly before it (nil: Data.db's start), read on to the key's place.
    private var forwardTargets: [(start: PartitionIndexBTI.Entry?, key: Partitioner.Position)]?
    private var nextTarget = 0

    init(scanner: any PartitionScanner, layout: TableLayout, copyGroup: Int) {
        self.scanner = scanner
        self.copyGroup = copyGroup
        let (statics, regulars) = layout.slotMaps(for: scanner.header)
        staticSlots = .allocate(capacity: statics.count)
        _ = staticSlots.initialize(from: statics)
        regularSlots = .allocate(capacity: regulars.count)
        _ = regularSlots.initialize(from: regulars)
    }

    deinit {
        staticSlots.deallocate()
        regularSlots.deallocate()
    }

    /// Moves to the next partition (computing its token), or to the end.
    func advancePartition(_ partitioner: Partitioner) throws(SSTableError) {
        let more = if targets != nil {
            try nextTargetPartition(partitioner)
        } else if forwardTargets != nil {
            try nextForwardPartition(partitioner)
        } else if seekCheck != nil || btiSeekCheck != nil {
            try nextCheckedPartition()
        } else {
            try scanner.nextPartition()
        }
        guard more else {
            position = nil
            return
        }
        position = partitioner.position(of: scanner.partitionKey)
        partitionDeletion = scanner.partitionDeletion
        openDeletion = .live
        openRanges.removeAll()
        hasStatic = false
        hasCurrent = try scanner.nextUnfiltered(into: &current)
        if hasCurrent, current.kind == .staticRow {
            swap(&staticRow, &current)
            // Kept for the whole partition, while the scanner reads on.
            staticRow.ownBytes()
            hasStatic = true
            hasCurrent = try scanner.nextUnfiltered(into: &current)
        }
    }

    /// Starts a read of the tokens after `start` at the last partition with token ≤ `start` that
    /// Summary.db and Index.db lead to (`big` SSTables), or at one Partitions.db leads to (BTI,
    /// `seekBTI`). A missing or unreadable index is a warning and a read from the start.
    func seekRange(after range: TokenRange, partitioner: Partitioner) throws(SSTableError) {
        let start = range.start
        let sstable = scanner.sstable
        let indexPath = sstable.descriptor.path("Index.db")
        seekCheck = nil
        btiSeekCheck = nil
        indexWarning = nil
        var entry: PartitionIndexReader.Entry?
        var btiEntry: PartitionIndexBTI.Entry?
        if start > .min, sstable.descriptor.version.format == "big" {
            if !sstable.hasComponent("Index.db") {
                indexWarning = "\(indexPath): missing: \(sstable.descriptor.dataPath) is read from its start"
            } else {
                do throws(SSTableError) {
                    let found = try RangeStart.find(after: range, in: sstable, partitioner: partitioner)
                    entry = found.entry
                    indexWarning = found.warning
                } catch {
                    indexWarning = "\(error): the index is not used, \(sstable.descriptor.dataPath) is read from its start"
                }
            }
        }
        // Partitions.db orders keys by their byte-comparable Murmur3 token; other partitioners' tries are not searched.
        if start > .min, sstable.descriptor.version.format == "bti", partitioner == .murmur3 { btiEntry = btiRangeStart(before: start) }
        let target = entry?.dataPosition ?? btiEntry?.dataPosition
        if target != nil || seeked { try scanner.seek(to: target ?? 0) }
        seeked = target != nil
        seekCheck = entry
        btiSeekCheck = btiEntry.map { (entry: $0, before: start) }
    }

    /// The first partition after a seek: the one the index entry names, or else (a corrupt
    /// index) the SSTable is read from its start, with a warning.
    private func nextCheckedPartition() throws(SSTableError) -> Bool {
        if btiSeekCheck != nil { return try nextBTICheckedPartition() }
        guard let entry = seekCheck else { return try scanner.nextPartition() }
        seekCheck = nil
        if nextKeyIfReadable() == entry.key { return true }
        indexWarning = misplaced(entry)
        try scanner.seek(to: 0)
        return try scanner.nextPartition()
    }

    /// The key of the next partition; nil at the end, or where Data.db cannot be read (an index
    /// that points into garbage).
    private func nextKeyIfReadable() -> [UInt8]? {
        (try? scanner.nextPartition()) == true ? scanner.partitionKey : nil
    }

    /// The warning for an Index.db entry whose Data.db position does not hold its partition.
    private func misplaced(_ entry: PartitionIndexReader.Entry) -> String {
        let descriptor = scanner.sstable.descriptor
        return SSTableError(
            path: descriptor.path("Index.db"), offset: entry.indexOffset,
            "the entry's Data.db position \(entry.dataPosition) does not hold its partition: the index is not used, \(descriptor.dataPath) is read from its start"
        ).description
    }

    /// Reads only the partitions of these index entries (in Data.db order), each found by a
    /// seek; nil reads the SSTable from its start (a point read whose index could not be used).
    func seekPartitions(_ entries: [PartitionIndexReader.Entry]?, warning: String?) throws(SSTableError) {
        seekCheck = nil
        btiSeekCheck = nil
        forwardTargets = nil
        indexWarning = warning
        targets = entries
        nextTarget = 0
        if entries == nil, seeked { try scanner.seek(to: 0) }
        seeked = entries != nil
    }

    /// The key of the partition at a Data.db position (to check an index entry); nil at the end.
    func partitionKey(at position: Int64) throws(SSTableError) -> [UInt8]? {
        seeked = true
        try scanner.seek(to: position)
        return try scanner.nextPartition() ? scanner.partitionKey : nil
    }

    /// The next partition of a point read. An entry whose Data.db position does not hold its
    /// key (a corrupt index) turns the read into a scan from Data.db's start, past the
    /// partitions already handed out, with a warning.
    private func nextTargetPartition(_ partitioner: Partitioner) throws(SSTableError) -> Bool {
        guard let entries = targets, nextTarget < entries.count else { return false }
        let entry = entries[nextTarget]
        nextTarget += 1
        let found = (try? scanner.seek(to: entry.dataPosition)) != nil ? nextKeyIfReadable() : nil
        if found == entry.key { return true }
        indexWarning = misplaced(entry)
        targets = nil
        return try scanFromStart(after: position, partitioner)
    }

    /// Reads Data.db from its start again, past the partitions up to `handedOut` (those the
    /// merge has had): a point read whose index proved wrong.
    private func scanFromStart(after handedOut: Partitioner.Position?, _ partitioner: Partitioner) throws(SSTableError) -> Bool {
        try scanner.seek(to: 0)
        while try scanner.nextPartition() {
            guard let handedOut else { return true }
            if partitioner.compare(partitioner.position(of: scanner.partitionKey), handedOut) > 0 { return true }
        }
        return false
    }

    /// Moves to the next unfiltered of the current partition.
    func advance() throws(SSTableError) {
        hasCurrent = try scanner.nextUnfiltered(into: &current)
        if hasCurrent, current.kind == .staticRow {
            throw SSTableError(path: scanner.sstable.descriptor.dataPath, offset: scanner.partitionOffset, "static row after the first row of a partition")
        }
    }

    /// Applies the range tombstone marker in `current` to `openDeletion` (or, for a 2.x range,
    /// adds it to `openRanges`).
    func applyMarker() {
        if current.rangeEndKind != nil {
            openRanges.append((current.rangeEndBound, current.deletion))
            return
        }
        switch current.boundKind {
        case .inclusiveStart, .exclusiveStart, .exclusiveEndInclusiveStart, .inclusiveEndExclusiveStart:
            openDeletion = current.deletion
        default:
            openDeletion = .live
        }
    }
}

// BTI range reads: where Partitions.db says to start, and the check of what is found there.
extension MergeSource {
    /// The Partitions.db entry of the last partition with a token certainly below `start`
    /// (`PartitionIndexBTI.entry(before:)`); nil: read from the start of Data.db, with a warning
    /// when the index is missing or unreadable.
    private func btiRangeStart(before start: Int64) -> PartitionIndexBTI.Entry? {
        let sstable = scanner.sstable
        let path = sstable.descriptor.path("Partitions.db")
        guard sstable.hasComponent("Partitions.db") else {
            indexWarning = "\(path): missing: \(sstable.descriptor.dataPath) is read from its start"
            return nil
        }
        do throws(SSTableError) {
            return try PartitionIndexBTI(sstable).entry(before: start)
        } catch {
            indexWarning = "\(error): the index is not used, \(sstable.descriptor.dataPath) is read from its start"
            return nil
        }
    }

    /// The first partition after a BTI seek: it must have a token below the range and admit the
    /// entry (hash byte, Rows.db key); else (a corrupt index) the SSTable is read from its start,
    /// with a warning.
    private func nextBTICheckedPartition() throws(SSTableError) -> Bool {
        guard let check = btiSeekCheck else { return try scanner.nextPartition() }
        let entry = check.entry, before = check.before
        btiSeekCheck = nil
        var found: [UInt8]?
        do throws(SSTableError) {
            found = try scanner.nextPartition() ? scanner.partitionKey : nil
        } catch {
            found = nil
        }
        if let key = found, key.withUnsafeBytes({ Murmur3.token($0) }) < before, entry.admits(key) { return true }
        let descriptor = scanner.sstable.descriptor
        indexWarning = SSTableError(
            path: descriptor.path("Partitions.db"), offset: entry.nodePosition,
            "the entry's Data.db position \(entry.dataPosition) does not hold a partition before token \(before) that matches it: the index is not used, \(descriptor.dataPath) is read from its start"
        ).description
        try scanner.seek(to: 0)
        return try scanner.nextPartition()
    }
}

// BTI point reads: from a partition Partitions.db says lies before each key, on to the key.
extension MergeSource {
    /// Reads, per wanted key in order, from the Data.db position of its entry (a partition with
    /// a token below the key's; nil: from the start) on to the key's place.
    func seekForward(_ list: [(start: PartitionIndexBTI.Entry?, key: Partitioner.Position)], warning: String?) {
        seekCheck = nil
        btiSeekCheck = nil
        targets = nil
        indexWarning = warning
        forwardTargets = list
        nextTarget = 0
        seeked = true
    }

    /// The next wanted partition this SSTable holds. The first partition read after each seek
    /// must have a token below the key's and match its entry (hash byte, Rows.db key); else (a
    /// corrupt index) Data.db is read from its start, past what was handed out, with a warning.
    private func nextForwardPartition(_ partitioner: Partitioner) throws(SSTableError) -> Bool {
        guard let list = forwardTargets else { return try scanner.nextPartition() }
        let handedOut = position
        while nextTarget < list.count {
            let (start, key) = list[nextTarget]
            nextTarget += 1
            var first = start != nil
            var trusted = true
            do throws(SSTableError) {
                try scanner.seek(to: start?.dataPosition ?? 0)
                while try scanner.nextPartition() {
                    let found = partitioner.position(of: scanner.partitionKey)
                    if first, let start {
                        first = false
                        guard case .long(let t) = found.token, case .long(let k) = key.token, t < k, start.admits(scanner.partitionKey) else {
                            trusted = false
                            break
                        }
                    }
                    let order = partitioner.compare(found, key)
                    if order == 0 { return true }
                    if order > 0 { break }
                }
            } catch {
                trusted = false
            }
            if !trusted {
                let descriptor = scanner.sstable.descriptor
                indexWarning = SSTableError(
                    path: descriptor.path("Partitions.db"), offset: start?.nodePosition ?? 0,
                    "the entry's Data.db position \(start?.dataPosition ?? 0) does not hold a partition before the key that matches it: the index is not used, \(descriptor.dataPath) is read from its start"
                ).description
                forwardTargets = nil
                return try scanFromStart(after: handedOut, partitioner)
            }
        }
        return false
    }
}

// Read field by field: a method call on `current` itself would copy it, retaining its storage.
extension MergeSource {
    /// A cell of the current row (or of the static row).
    @inline(__always)
    func cell(_ index: Int32, isStatic: Bool) -> CellRecord {
        if isStatic { return staticRow.cells[Int(index)] }
        return current.cells[Int(index)]
    }

    /// The raw bytes of the current row (or of the static row), which its cells and clustering
    /// point into; valid until the source advances.
    @inline(__always)
    func rawBytes(isStatic: Bool) -> UnsafeRawBufferPointer {
        if isStatic { return staticRow.window ?? UnsafeRawBufferPointer(start: staticRow.storage.base, count: staticRow.storage.count) }
        return current.window ?? UnsafeRawBufferPointer(start: current.storage.base, count: current.storage.count)
    }

    /// Bytes `start..<end` of the current row's (or static row's) raw bytes.
    @inline(__always)
    func bytes(_ start: Int32, _ end: Int32, isStatic: Bool) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: rawBytes(isStatic: isStatic)[Int(start)..<Int(end)])
    }

    /// The value of cell `index` of the current row (or of the static row).
    @inline(__always)
    func cellValue(_ index: Int32, isStatic: Bool) -> UnsafeRawBufferPointer {
        let cell = cell(index, isStatic: isStatic)
        return bytes(cell.valueStart, cell.valueEnd, isStatic: isStatic)
    }

    /// The current row borrowed: valid until the source advances.
    @inline(__always)
    var currentRow: CurrentRow {
        CurrentRow(
            storage: rawBytes(isStatic: false),
            cells: UnsafeBufferPointer(start: current.cells.base, count: current.cells.count),
            clustering: UnsafeBufferPointer(start: current.clustering.base, count: current.clustering.count))
    }
}

/// A source's current row borrowed (`MergeSource.currentRow`): reading a value touches no reference counts.
struct CurrentRow {
    var storage = UnsafeRawBufferPointer(start: nil, count: 0)
    var cells = UnsafeBufferPointer<CellRecord>(start: nil, count: 0)
    var clustering = UnsafeBufferPointer<ClusteringSlot>(start: nil, count: 0)

    /// The value bytes of cell `index`.
    @inline(__always)
    func cellValue(_ index: Int32) -> UnsafeRawBufferPointer {
        let start = cells[Int(index)].valueStart, end = cells[Int(index)].valueEnd
        return UnsafeRawBufferPointer(rebasing: storage[Int(start)..<Int(end)])
    }

    /// Clustering value `i`; nil when null or absent.
    @inline(__always)
    func clusteringValue(_ i: Int) -> UnsafeRawBufferPointer? {
        guard i < clustering.count, !clustering[i].isNull else { return nil }
        return UnsafeRawBufferPointer(rebasing: storage[Int(clustering[i].start)..<Int(clustering[i].end)])
    }
}
