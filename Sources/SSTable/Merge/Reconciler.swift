import CQL

/// Reconciles the versions of one row held by several SSTables (`Cells.reconcile`,
/// `Row.Merger`): newest timestamp wins, ties broken as Cassandra breaks them; deletions and
/// TTL expiry applied; counters merged per counter id.
struct Reconciler {
    let layout: TableLayout
    /// Seconds since the epoch that TTL expiry is judged against.
    let now: Int64
    private var candidates: [CellRef] = []
    /// Per slot, copied out of the layout so hot loops read plain arrays.
    private let slotIsComplex: [Bool]
    private let slotDroppedAt: [Int64]
    /// Per slot deletion of a complex column (single-SSTable path), reused.
    private var complexDeletion: [DeletionTime]
    /// The table has complex or counter slots.
    private let hasExtraSlots: Bool

    init(layout: TableLayout, now: Int64) {
        self.layout = layout
        self.now = now
        slotIsComplex = layout.slots.map(\.isComplex)
        slotDroppedAt = layout.slots.map(\.droppedAt)
        complexDeletion = Array(repeating: .live, count: layout.slots.count)
        hasExtraSlots = layout.slots.contains { $0.isComplex || $0.isCounter }
    }

    /// One SSTable holds the row: no reconciliation, only deletions, TTLs and dropped columns.
    /// Cells of a complex column are already in path order.
    private mutating func resolveSingle(_ row: inout ResolvedRow, isStatic: Bool, source: MergeSource, index m: Int, deletion outer: DeletionTime) {
        let slots = isStatic ? source.staticSlots : source.regularSlots
        // Field by field: copying the whole unfiltered would retain its storage.
        let liveness = isStatic ? source.staticRow.liveness : source.current.liveness
        let deletion = outer.merged(with: isStatic ? source.staticRow.deletion : source.current.deletion)
        var live = liveness.isLive(now: now) && !deletion.deletes(liveness.timestamp)
        if live { row.liveness = liveness }
        let hasComplexDeletions = isStatic ? !source.staticRow.complexDeletions.isEmpty : !source.current.complexDeletions.isEmpty
        if hasComplexDeletions {
            for i in complexDeletion.indices { complexDeletion[i] = deletion }
            for d in isStatic ? source.staticRow.complexDeletions : source.current.complexDeletions where slots[Int(d.column)] >= 0 {
                let slot = Int(slots[Int(d.column)])
                complexDeletion[slot] = complexDeletion[slot].merged(with: d.deletion)
            }
        }
        let now = self.now
        let cells = isStatic
            ? UnsafeBufferPointer(start: source.staticRow.cells.base, count: source.staticRow.cells.count)
            : UnsafeBufferPointer(start: source.current.cells.base, count: source.current.cells.count)
        for i in 0..<cells.count {
            let cell = cells[i]
            let slot = Int(slots[Int(cell.column)])
            guard slot >= 0 else {
                if slot == Int(TableLayout.unknown) { source.unknownCells &+= 1 }
                continue
            }
            let complex = slotIsComplex[slot]
            let d = complex && hasComplexDeletions ? complexDeletion[slot] : deletion
            guard cell.isLive(now: now), !d.deletes(cell.timestamp), cell.timestamp > slotDroppedAt[slot] else { continue }
            let ref = CellRef(source: Int32(m), index: Int32(i))
            if complex { row.complex[slot].append(ref) } else { row.simple[slot] = ref }
            live = true
        }
        row.isLive = live
    }

    /// Resolves `row` from one source's static row or current row (source number `index`) under
    /// `deletion`. Sets `row.isLive`.
    @inline(__always)
    mutating func resolve(_ row: inout ResolvedRow, isStatic: Bool = false, source: MergeSource, index: Int, deletion: DeletionTime) {
        row.clear()
        row.isStatic = isStatic
        row.clusteringSource = index
        if hasExtraSlots { row.noteExtras() }
        resolveSingle(&row, isStatic: isStatic, source: source, index: index, deletion: deletion)
    }

    /// Resolves `row` from the given sources' static rows or current rows under `deletion`
    /// (partition deletion, open range tombstones). Sets `row.isLive`.
    mutating func resolve(
        _ row: inout ResolvedRow, isStatic: Bool, sources: [MergeSource], members: [Int], deletion outer: DeletionTime
    ) {
        if members.count == 1 {
            resolve(&row, isStatic: isStatic, source: sources[members[0]], index: members[0], deletion: outer)
            return
        }
        row.clear()
        row.isStatic = isStatic
        row.clusteringSource = members[0]
        if hasExtraSlots { row.noteExtras() }
        var deletion = outer
        var liveness = LivenessInfo.empty
        for m in members {
            let u = isStatic ? sources[m].staticRow : sources[m].current
            deletion = deletion.merged(with: u.deletion)
            if u.liveness.supersedes(liveness) { liveness = u.liveness }
        }
        var live = liveness.isLive(now: now) && !deletion.deletes(liveness.timestamp)
        if live { row.liveness = liveness }
        let single = members.count == 1
        for slotIndex in layout.slots.indices {
            let slot = layout.slots[slotIndex]
            guard slot.isStatic == isStatic else { continue }
            if slot.isCounter && !single {
                resolveCounter(slot: slotIndex, row: &row, isStatic: isStatic, sources: sources, members: members)
            } else if slot.isComplex {
                if resolveComplex(&row, slot: slotIndex, isStatic: isStatic, sources: sources, members: members, deletion: deletion, single: single) {
                    live = true
                }
            }
        }
        // Simple cells: one pass over each member's cells.
        for m in members {
            let source = sources[m]
            let u = isStatic ? source.staticRow : source.current
            let slots = isStatic ? source.staticSlots : source.regularSlots
            for (i, cell) in u.cells.enumerated() {
                let slotIndex = Int(slots[Int(cell.column)])
                guard slotIndex >= 0 else {
                    if slotIndex == Int(TableLayout.unknown) { source.unknownCells &+= 1 }
                    continue
                }
                guard !layout.slots[slotIndex].isComplex, single || !layout.slots[slotIndex].isCounter else { continue }
                let ref = CellRef(source: Int32(m), index: Int32(i))
                let current = row.simple[slotIndex]
                if current.isNone {
                    row.simple[slotIndex] = ref
                } else if wins(ref, over: current, isStatic: isStatic, sources: sources) {
                    row.simple[slotIndex] = ref
                }
            }
        }
        // Keep only live winners.
        for slotIndex in layout.slots.indices where !row.simple[slotIndex].isNone {
            let cell = record(row.simple[slotIndex], isStatic: isStatic, sources: sources)
            if cell.isLive(now: now), !deletion.deletes(cell.timestamp), cell.timestamp > layout.slots[slotIndex].droppedAt {
                live = true
            } else {
                row.simple[slotIndex] = .none
                row.counterTotals[slotIndex] = nil
            }
        }
        row.isLive = live
    }

    @inline(__always)
    func record(_ ref: CellRef, isStatic: Bool, sources: [MergeSource]) -> CellRecord {
        sources[Int(ref.source)].cell(ref.index, isStatic: isStatic)
    }

    @inline(__always)
    func value(_ ref: CellRef, isStatic: Bool, sources: [MergeSource]) -> UnsafeRawBufferPointer {
        sources[Int(ref.source)].cellValue(ref.index, isStatic: isStatic)
    }

    @inline(__always)
    func path(_ ref: CellRef, isStatic: Bool, sources: [MergeSource]) -> UnsafeRawBufferPointer {
        let s = sources[Int(ref.source)]
        let c = s.cell(ref.index, isStatic: isStatic)
        return s.bytes(c.pathStart, c.pathEnd, isStatic: isStatic)
    }

    /// `Cells.resolveRegular`: true if `a` beats `b`.
    func wins(_ a: CellRef, over b: CellRef, isStatic: Bool, sources: [MergeSource]) -> Bool {
        let x = record(a, isStatic: isStatic, sources: sources)
        let y = record(b, isStatic: isStatic, sources: sources)
        if x.timestamp != y.timestamp { return x.timestamp > y.timestamp }
        let xDead = x.localDeletionTime != CellConstants.noDeletionTime
        let yDead = y.localDeletionTime != CellConstants.noDeletionTime
        if xDead || yDead {
            if xDead != yDead { return xDead }
            if x.isTombstone != y.isTombstone { return x.isTombstone }
            if x.localDeletionTime != y.localDeletionTime { return x.localDeletionTime > y.localDeletionTime }
        }
        // Equal in all else: the greater value (unsigned bytes) wins.
        return CQLType.blob.compare(value(a, isStatic: isStatic, sources: sources), value(b, isStatic: isStatic, sources: sources)) > 0
    }

    /// `Cells.resolveCounter` over every SSTable holding the row: any tombstone wins; otherwise
    /// the live contexts merge per counter id into one total. Copies of one SSTable (the same
    /// generation in several formats) count once: their newest cell stands for the copy.
    private func resolveCounter(slot: Int, row: inout ResolvedRow, isStatic: Bool, sources: [MergeSource], members: [Int]) {
        var chosen: [(group: Int, ref: CellRef, timestamp: Int64)] = []
        for m in members {
            let u = isStatic ? sources[m].staticRow : sources[m].current
            let slots = isStatic ? sources[m].staticSlots : sources[m].regularSlots
            for (i, c) in u.cells.enumerated() where Int(slots[Int(c.column)]) == slot {
                let ref = CellRef(source: Int32(m), index: Int32(i))
                if c.isTombstone {
                    row.simple[slot] = ref
                    row.counterTotals[slot] = nil
                    return
                }
                let group = sources[m].copyGroup
                if let k = chosen.firstIndex(where: { $0.group == group }) {
                    if c.timestamp > chosen[k].timestamp { chosen[k] = (group, ref, c.timestamp) }
                } else {
                    chosen.append((group, ref, c.timestamp))
                }
            }
        }
        guard let newest = chosen.max(by: { $0.timestamp < $1.timestamp }) else { return }
        row.simple[slot] = newest.ref
        if chosen.count > 1 {
            row.counterTotals[slot] = CounterContext.mergedTotal(chosen.map { value($0.ref, isStatic: isStatic, sources: sources) })
        }
    }

    /// Complex column: union of cells by path across sources, reconciled, minus deleted ones.
    /// Returns true if any cell is live.
    private mutating func resolveComplex(
        _ row: inout ResolvedRow, slot: Int, isStatic: Bool, sources: [MergeSource], members: [Int], deletion: DeletionTime, single: Bool
    ) -> Bool {
        var columnDeletion = deletion
        candidates.removeAll(keepingCapacity: true)
        for m in members {
            let source = sources[m]
            let u = isStatic ? source.staticRow : source.current
            let slots = isStatic ? source.staticSlots : source.regularSlots
            for d in u.complexDeletions where Int(slots[Int(d.column)]) == slot {
                columnDeletion = columnDeletion.merged(with: d.deletion)
            }
            for (i, cell) in u.cells.enumerated() where Int(slots[Int(cell.column)]) == slot {
                candidates.append(CellRef(source: Int32(m), index: Int32(i)))
            }
        }
        if candidates.isEmpty { return false }
        if !single {
            let pathType = layout.slots[slot].pathType
            var candidates = self.candidates
            defer { self.candidates = candidates }
            candidates.sort { a, b in
                pathType.compare(path(a, isStatic: isStatic, sources: sources), path(b, isStatic: isStatic, sources: sources)) < 0
            }
            // Reconcile runs of equal paths.
            var merged: [CellRef] = []
            for ref in candidates {
                if let last = merged.last,
                    pathType.compare(path(last, isStatic: isStatic, sources: sources), path(ref, isStatic: isStatic, sources: sources)) == 0
                {
                    if wins(ref, over: last, isStatic: isStatic, sources: sources) { merged[merged.count - 1] = ref }
                } else {
                    merged.append(ref)
                }
            }
            candidates = merged
        }
        let droppedAt = layout.slots[slot].droppedAt
        for ref in candidates {
            let cell = record(ref, isStatic: isStatic, sources: sources)
            if cell.isLive(now: now), !columnDeletion.deletes(cell.timestamp), cell.timestamp > droppedAt {
                row.complex[slot].append(ref)
            }
        }
        return !row.complex[slot].isEmpty
    }
}
