/// A cell chosen by reconciliation: which source, which cell of its row.
struct CellRef {
    var source: Int32
    var index: Int32
    static let none = CellRef(source: -1, index: -1)
    var isNone: Bool { source < 0 }
}

/// One CQL row (or static row) after reconciling every SSTable that holds it: the live cells
/// per slot, nothing else. Reused across rows; arrays keep their capacity.
struct ResolvedRow {
    /// Whether the cells live in the sources' `staticRow` or `current`.
    var isStatic = false
    /// The source whose clustering values the row carries.
    var clusteringSource = 0
    var isLive = false
    /// The row's winning primary-key liveness (empty when none is live).
    var liveness = LivenessInfo.empty
    /// Simple slots: the winning live cell, or none. Raw memory (freed by `deallocate()`): set
    /// for every cell of every row, it needs no uniqueness check that way.
    let simple: UnsafeMutableBufferPointer<CellRef>
    /// Complex slots: live cells in path order.
    var complex: [[CellRef]]
    /// Counter slots merged from several SSTables: the merged total.
    var counterTotals: [Int64?]

    init(slotCount: Int) {
        simple = .allocate(capacity: slotCount)
        simple.initialize(repeating: .none)
        complex = Array(repeating: [], count: slotCount)
        counterTotals = Array(repeating: nil, count: slotCount)
    }

    /// True once a complex slot or counter total has been set since the last `clear()`.
    private var hasExtras = true

    mutating func clear() {
        isLive = false
        liveness = .empty
        simple.update(repeating: .none)
        guard hasExtras else { return }
        for i in complex.indices where !complex[i].isEmpty { complex[i].removeAll(keepingCapacity: true) }
        for i in counterTotals.indices { counterTotals[i] = nil }
        hasExtras = false
    }

    /// Frees `simple`; the row is not used after.
    func deallocate() { simple.deallocate() }

    /// Marks that complex or counter slots were used (so `clear` resets them).
    mutating func noteExtras() { hasExtras = true }
}
