import CQL

/// Reads one table's SSTables as Cassandra reads them: a k-way merge in the partitioner's order,
/// rows in clustering order, every version of a row reconciled, deletions and TTLs applied.
/// Each live CQL row is handed out once.
public final class TableReader {
    public let location: TableLocation
    /// The schema rows are decoded with: the given one, or one inferred from the SSTable header.
    public let schema: TableSchema
    /// True when no schema was given and names come from Cassandra's defaults.
    public let schemaWasInferred: Bool
    public let sstables: [SSTable]
    public let partitioner: Partitioner
    /// Only partitions whose token lies here are read (see `restrict(to:)`); nil: all.
    public internal(set) var tokenRange: TokenRange?
    /// Only partitions with these keys are read, in the partitioner's order (see
    /// `restrict(toKeys:)`); nil: all.
    var wantedKeys: [Partitioner.Position]?
    let layout: TableLayout
    let outputPlan: OutputPlan
    /// Seconds since the epoch that TTL expiry is judged against.
    private let now: Int64
    private let sources: [MergeSource]
    private let clusteringTypes: [CQLType]

    /// Opens every SSTable of the table. `now` (seconds since the epoch) decides TTL expiry.
    public init(location: TableLocation, schema given: TableSchema?, now: Int64) throws(SSTableError) {
        self.location = location
        var opened: [SSTable] = []
        for (descriptor, components) in location.sstables {
            let v = descriptor.version
            guard v.isSupportedRowFormat || v.isLegacyCellFormat && v.letters >= "jb" else {
                throw SSTableError(path: descriptor.dataPath, "SSTable format version '\(v.letters)' is not supported by this reader")
            }
            opened.append(try SSTable(descriptor, components: components))
        }
        guard let first = opened.first else {
            throw SSTableError(path: location.directories.first ?? "", "no SSTables")
        }
        // 3.0+ SSTables describe their rows; 2.x ones need the schema to.
        let header: SerializationHeader
        if let h = first.statistics.header {
            header = h
        } else if let given {
            header = LegacyCellScanner.header(for: given)
        } else {
            throw SSTableError(
                path: first.descriptor.dataPath,
                "Cassandra 2.x SSTables (\(first.descriptor.version.letters)) store no column names or types: give the table's CQL with --schema")
        }
        let className = first.statistics.partitionerClass
        guard let partitioner = Partitioner(className: className, keyType: header.keyType) else {
            throw SSTableError(path: first.descriptor.path("Statistics.db"), "unknown partitioner \(className)")
        }
        for s in opened.dropFirst() where s.statistics.partitionerClass != className {
            throw SSTableError(path: s.descriptor.path("Statistics.db"), "partitioner \(s.statistics.partitionerClass) differs from \(className) in \(first.descriptor.dataPath)")
        }
        let schema = given ?? TableLayout.inferredSchema(keyspace: location.keyspace, table: location.table, header: header)
        var checks: [HeaderCheck?] = []
        for s in opened {
            guard let h = s.statistics.header else {
                checks.append(nil)
                continue
            }
            let check = try HeaderCheck(schema: schema, header: h, path: s.descriptor.path("Statistics.db"))
            typeWarnings += check.notes
            checks.append(check)
        }
        self.schema = schema
        schemaWasInferred = given == nil
        self.partitioner = partitioner
        self.sstables = opened
        let layout = TableLayout(schema: schema, headers: checks.map { $0?.layoutHeader ?? header })
        headerUnknown = opened.map { s in
            guard let h = s.statistics.header else { return [] }
            return (h.staticColumns + h.regularColumns).map(\.name).filter(layout.isUnknown)
        }
        let untimed = schema.droppedColumns.filter { $0.value == .max }.keys.sorted()
        if !untimed.isEmpty {
            dropWarnings = ["\(location.qualifiedName): the schema drops \(untimed.joined(separator: ", ")) without a time (ALTER TABLE … DROP with no USING TIMESTAMP): every cell of theirs is left out"]
        }
        self.layout = layout
        let clusteringTypes = (checks.first ?? nil)?.layoutHeader.clusteringTypes ?? header.clusteringTypes
        self.clusteringTypes = clusteringTypes
        outputPlan = OutputPlan(layout: layout)
        self.now = now
        var sources: [MergeSource] = []
        var groups: [String: Int] = [:]
        for (s, check) in zip(opened, checks) {
            let key = s.descriptor.directory + "/" + s.descriptor.generation
            let group = groups[key] ?? groups.count
            groups[key] = group
            var scanner: any PartitionScanner = s.descriptor.version.isLegacyCellFormat
                ? try LegacyCellScanner(s, schema: schema) : try RowFormatScanner(s, header: check?.parseHeader)
            if let check, !check.orderDifferences.isEmpty {
                let difference = check.orderDifferences.joined(separator: "; ")
                try OrderCheckedScanner.verifyStart(
                    of: s, header: check.parseHeader, types: clusteringTypes, difference: difference, limit: Self.orderCheckedUpFront)
                scanner = OrderCheckedScanner(scanner, types: clusteringTypes, difference: difference)
            }
            sources.append(MergeSource(scanner: scanner, layout: layout, copyGroup: group))
        }
        self.sources = sources
    }

    /// Unfiltereds of an SSTable whose header orders clustering the other way from the schema
    /// that are checked before the read starts (the read checks the rest as it goes).
    static let orderCheckedUpFront = 10_000

    /// Columns one SSTable stores that the schema neither has nor records as dropped: their
    /// cells are not read.
    public struct UnknownColumns: Sendable, Hashable, Codable {
        /// The SSTable's Data.db.
        public var path: String
        public var columns: [String]
        /// Cells of those columns skipped so far.
        public var cells: Int
    }

    /// Per SSTable with such columns: 3.0+ headers name them as soon as the reader is open; 2.x
    /// SSTables reveal them as their cells are read. Cell counts are complete after `forEachRow`.
    public var unknownColumns: [UnknownColumns] {
        zip(sources, headerUnknown).compactMap { source, named in
            let (columns, cells) = (source.scanner as? LegacyCellScanner).map { ($0.unknownColumns.sorted(), $0.unknownCells) } ?? (named, source.unknownCells)
            return columns.isEmpty ? nil : UnknownColumns(path: source.scanner.sstable.descriptor.dataPath, columns: columns, cells: cells)
        }
    }
    /// Per SSTable: the header's columns the schema neither has nor has dropped.
    private let headerUnknown: [[String]]
    private var dropWarnings: [String] = []
    /// Accepted differences between the headers' types and the schema's, one per file and column.
    private var typeWarnings: [String] = []

    /// What does not fit between the schema and the SSTables but does not stop reading: columns
    /// an SSTable stores that the schema lacks (and has not dropped), and each difference between
    /// a header and the schema that Cassandra's rules accept (`HeaderCheck`), once per file.
    /// Complete after `forEachRow`.
    public var warnings: [String] {
        typeWarnings + dropWarnings + sources.compactMap(\.indexWarning) + unknownColumns.map { "\($0.path): cells of columns not in the schema were skipped: \($0.columns.joined(separator: ", ")) (\($0.cells) cells)" }
    }

    /// Calls `body` for every live CQL row, in partitioner then clustering order.
    public func forEachRow(_ body: (RowView) throws -> Void) throws {
        for source in sources { try source.advancePartition(partitioner) }
        var reconciler = Reconciler(layout: layout, now: now)
        // Rows handed out point at these two, so nothing is copied per row.
        let resolved = UnsafeMutablePointer<ResolvedRow>.allocate(capacity: 2)
        resolved.initialize(to: ResolvedRow(slotCount: layout.slots.count))
        (resolved + 1).initialize(to: ResolvedRow(slotCount: layout.slots.count))
        defer {
            resolved[0].deallocate()
            resolved[1].deallocate()
            resolved.deinitialize(count: 2)
            resolved.deallocate()
        }
        let staticRow = resolved, row = resolved + 1
        let memory = UnsafeMutablePointer<JSONMemory>.allocate(capacity: 1)
        memory.initialize(to: JSONMemory(columns: outputPlan.jsonTypes.count))
        defer {
            memory.deinitialize(count: 1)
            memory.deallocate()
        }
        // The current row of the row's clustering source, set before each row is handed out.
        let lead = UnsafeMutablePointer<CurrentRow>.allocate(capacity: 1)
        lead.initialize(to: CurrentRow())
        defer { lead.deallocate() }
        var members: [Int] = []
        var active: [Int] = []
        var nextWanted = 0
        while true {
            // The sources positioned at the smallest partition.
            active.removeAll(keepingCapacity: true)
            if sources.count == 1 {
                if sources[0].position != nil { active.append(0) }
            } else {
                findSmallestPartition(&active)
            }
            guard let first = active.first else { return }
            if let tokenRange {
                let token = sources[first].position!.token
                // Partitions come in token order: past the range's end nothing more is wanted.
                if tokenRange.isPastEnd(token) { return }
                if !tokenRange.isAfterStart(token) {
                    for i in active { try sources[i].advancePartition(partitioner) }
                    continue
                }
            }
            if let wantedKeys {
                let here = sources[first].position!
                while nextWanted < wantedKeys.count, partitioner.compare(wantedKeys[nextWanted], here) < 0 { nextWanted += 1 }
                // Partitions come in the partitioner's order: past the last key nothing more is wanted.
                if nextWanted == wantedKeys.count { return }
                if partitioner.compare(wantedKeys[nextWanted], here) != 0 {
                    for i in active { try sources[i].advancePartition(partitioner) }
                    continue
                }
            }

            var partitionDeletion = DeletionTime.live
            for i in active { partitionDeletion = partitionDeletion.merged(with: sources[i].partitionDeletion) }
            let key = sources[first].position!.key

            members.removeAll(keepingCapacity: true)
            for i in active where sources[i].hasStatic { members.append(i) }
            staticRow.pointee.clear()
            if !members.isEmpty {
                reconciler.resolve(&staticRow.pointee, isStatic: true, sources: sources, members: members, deletion: partitionDeletion)
            }
            memory.pointee.keyIsValid = false
            let view = RowView(
                reader: self, key: key, row: UnsafePointer(row), staticRow: UnsafePointer(staticRow), lead: UnsafePointer(lead), memory: memory)
            let emitted = active.count == 1
                ? try emitRows(of: sources[first], index: first, partitionDeletion, &reconciler, into: row, lead, view, body)
                : try emitMergedRows(active: active, partitionDeletion, &reconciler, &members, into: row, lead, view, body)
            if !emitted, staticRow.pointee.isLive, !schema.staticColumns.isEmpty || layout.staticDriven {
                row.pointee.clear()
                row.pointee.clusteringSource = -1
                try body(view)
            }
            for i in active { try sources[i].advancePartition(partitioner) }
        }
    }

    /// The rows of a partition that one source alone holds; true if any was live.
    private func emitRows(
        of source: MergeSource, index: Int, _ partitionDeletion: DeletionTime, _ reconciler: inout Reconciler,
        into row: UnsafeMutablePointer<ResolvedRow>, _ lead: UnsafeMutablePointer<CurrentRow>, _ view: RowView, _ body: (RowView) throws -> Void
    ) throws -> Bool {
        var emitted = false
        while source.hasCurrent {
            if source.current.kind == .marker {
                source.applyMarker()
            } else if !layout.staticDriven {
                let deletion = partitionDeletion.merged(with: openDeletion(source, at: source))
                reconciler.resolve(&row.pointee, source: source, index: index, deletion: deletion)
                if row.pointee.isLive {
                    lead.pointee = source.currentRow
                    try body(view)
                    emitted = true
                }
            }
            try source.advance()
        }
        return emitted
    }

    /// The rows of a partition that several sources hold, merged in clustering order; true if any was live.
    private func emitMergedRows(
        active: [Int], _ partitionDeletion: DeletionTime, _ reconciler: inout Reconciler, _ members: inout [Int],
        into row: UnsafeMutablePointer<ResolvedRow>, _ lead: UnsafeMutablePointer<CurrentRow>, _ view: RowView, _ body: (RowView) throws -> Void
    ) throws -> Bool {
        var emitted = false
        while true {
            // The smallest current unfiltered among the active sources.
            var next = -1
            for i in active where sources[i].hasCurrent {
                if next < 0 || compareClustering(sources[i].current, sources[next].current) < 0 { next = i }
            }
            if next < 0 { return emitted }
            if sources[next].current.kind == .marker {
                sources[next].applyMarker()
                try sources[next].advance()
                continue
            }
            members.removeAll(keepingCapacity: true)
            var deletion = partitionDeletion
            collectMembers(&members, &deletion, active: active, next: next)
            if !layout.staticDriven {
                reconciler.resolve(&row.pointee, isStatic: false, sources: sources, members: members, deletion: deletion)
                if row.pointee.isLive {
                    lead.pointee = sources[row.pointee.clusteringSource].currentRow
                    try body(view)
                    emitted = true
                }
            }
            for i in members { try sources[i].advance() }
        }
    }

    /// What a source's open range tombstones delete at the current row of `rowSource`; 2.x
    /// ranges that end before that row are dropped on the way.
    @inline(__always)
    private func openDeletion(_ source: MergeSource, at rowSource: MergeSource) -> DeletionTime {
        guard !source.openRanges.isEmpty else { return source.openDeletion }
        let u = rowSource.current
        source.openRanges.removeAll { compareClustering($0.end, u) < 0 }
        return source.openRanges.reduce(source.openDeletion) { $0.merged(with: $1.deletion) }
    }

    /// The sources whose current row is at the same clustering as `next`; the deletion that
    /// every source's open range tombstone adds.
    private func collectMembers(_ members: inout [Int], _ deletion: inout DeletionTime, active: [Int], next: Int) {
        for i in active {
            deletion = deletion.merged(with: openDeletion(sources[i], at: sources[next]))
            if sources[i].hasCurrent, sources[i].current.kind == .row,
                i == next || compareClustering(sources[i].current, sources[next].current) == 0
            {
                members.append(i)
            }
        }
    }

    /// The sources whose current partition sorts first (several when they hold the same key).
    private func findSmallestPartition(_ active: inout [Int]) {
        for (i, s) in sources.enumerated() {
            guard let p = s.position else { continue }
                if active.isEmpty {
                active.append(i)
                continue
            }
            let order = partitioner.compare(p, sources[active[0]].position!)
            if order < 0 {
                active.removeAll(keepingCapacity: true)
                active.append(i)
            } else if order == 0 {
                active.append(i)
            }
        }
    }

    @inline(__always)
    func compareClustering(_ a: Unfiltered, _ b: Unfiltered) -> Int { ClusteringOrder.compare(a, b, types: clusteringTypes) }

    var mergeSources: [MergeSource] { sources }
}
