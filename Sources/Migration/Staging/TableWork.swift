import CQL
import DynamoMapping
import Foundation
import SSTable
import Synchronization

/// What one worker staged of a table: one token range's parts, counts and findings.
struct SliceResult: Sendable, Codable {
    var index: Int
    var parts: [StagedPart]
    var rows: Int
    var items: Int
    var uncompressed: Int
    var rejected: Int
    var issueCounts: [IssueKind: Int]
    var samples: [IssueKind: [String]]
    var unknownColumns: [TableReader.UnknownColumns]
    var offloaded: [StagedObject]
    var warnings: [String]
}

/// The ranges of a table finished so far, in `tables/<table>/ranges.json` (rewritten atomically
/// as each range ends), so that a run stopped or killed inside the table resumes with the ranges
/// not yet done — when the staging key and the ranges are the same and their parts still verify.
struct RangeJournal: Codable {
    var key: String
    var ranges: [TokenRange?]
    var done: [SliceResult]
}

/// One table being staged by several workers, a token range each (``Extractor/slices(of:)``):
/// what they share — design, part size, progress — and the ranges done so far. The worker that
/// finishes the last range assembles the table, its parts in range (token) order, so its items
/// come in the order one worker would have staged them.
final class TableWork: Sendable {
    let job: Extractor.Job
    /// The table's staging key (``StagedTable/stagingKey``).
    let key: String
    /// The ranges read, in ring order; nil: the whole table.
    let ranges: [TokenRange?]
    let design: TableDesign
    let schemaCQL: String
    /// Uncompressed bytes a part is closed at.
    let partBytes: Int
    /// Statistics.db marks of the SSTables read.
    private let marks: ReadMarks
    private let estimatedRows: Int?
    private let mappingName: String
    private let tokenRange: TokenRange?
    private let compression: PartCompression
    private let staging: String
    private let state = Mutex(State())

    private struct State {
        var started: Date?
        var rows = 0
        var bytes = 0
        var done: [SliceResult] = []
    }

    /// Reads the table's schema and design, keeps the ranges an interrupted staging of the same
    /// data finished (``RangeJournal``), and clears everything else it left.
    init(job: Extractor.Job, key: String, ranges: [TokenRange?], extractor: Extractor, staging: String, flow: PartFlow? = nil) throws {
        let options = extractor.options
        let reader = try TableReader(location: job.location, schema: job.schema, now: extractor.now)
        self.job = job
        self.key = key
        self.ranges = ranges
        self.staging = staging
        design = try extractor.design(for: reader.schema, declared: job.declared)
        schemaCQL = reader.schema.createStatement
        mappingName = options.mappingName
        tokenRange = options.tokenRange
        compression = options.compression
        let fraction = options.tokenRange?.fraction ?? 1
        partBytes = options.partBytes ?? Extractor.partBytes(forDataBytes: reader.sstables.reduce(0) { $0 + $1.uncompressedLength }, fraction: fraction)
        let rows = Double(reader.sstables.reduce(Int64(0)) { $0 + ($1.statistics.totalRows ?? 0) }) * fraction
        estimatedRows = rows > 0 ? Int(rows) : nil
        marks = ReadMarks(sstables: reader.sstables, started: extractor.now)
        try flow?.tableStarting(design.table, key, dataFolder)
        let kept = Self.finishedRanges(journal: staging + "/" + journalFile, key: key, ranges: ranges, staging: staging, flow: flow)
        let keep = Set(kept.flatMap(\.parts).map(\.file))
        for file in (try? FileManager.default.contentsOfDirectory(atPath: staging + "/" + dataFolder)) ?? []
        where !keep.contains(dataFolder + "/" + file) {
            FileSystem.remove(staging + "/" + dataFolder + "/" + file)
        }
        FileSystem.remove(staging + "/" + partialFolder)
        try FileSystem.makeFolder(staging + "/" + dataFolder)
        state.withLock { $0.done = kept }
    }

    /// The ranges the journal at `path` records as finished for the same key and ranges, whose
    /// parts are all still there (locally with their size and SHA-256, or uploaded and removed
    /// under `--max-local-gb`); none when anything differs.
    private static func finishedRanges(journal path: String, key: String, ranges: [TokenRange?], staging: String, flow: PartFlow?) -> [SliceResult] {
        guard let bytes = try? FileSystem.read(path), let journal = try? JSONDecoder().decode(RangeJournal.self, from: Data(bytes)),
              journal.key == key, journal.ranges == ranges else { return [] }
        return journal.done.filter { slice in
            slice.parts.allSatisfy { part in
                if let flow, !FileSystem.exists(staging + "/" + part.file) { return flow.isStoredRemotely(part) }
                return (try? PartReader.readVerified(part, staging: staging)) != nil
            }
        }
    }

    /// Where the table's finished ranges are recorded, relative to the staging folder.
    var journalFile: String { "tables/\(design.table)/ranges.json" }

    /// Indexes of the ranges still to read.
    var pendingRanges: [Int] {
        let done = state.withLock { Set($0.done.map(\.index)) }
        return ranges.indices.filter { !done.contains($0) }
    }

    /// Where the table's parts go, relative to the staging folder.
    var dataFolder: String { "tables/\(design.table)/data" }
    /// Where parts are written before they are whole.
    var partialFolder: String { "tables/\(design.table)/.partial" }

    /// A worker begins a range: the table's start is announced once.
    func started(progress: ProgressSink) {
        let first = state.withLock { s in
            defer { if s.started == nil { s.started = Date() } }
            return s.started == nil
        }
        if first { progress.emit(ProgressEvent(phase: .extract, kind: .start, table: job.name, totalRows: estimatedRows)) }
    }

    /// Rows and bytes a worker staged since its last report: the table's totals go out.
    func progressed(rows: Int, bytes: Int, progress: ProgressSink) {
        let (total, size) = state.withLock { s in
            s.rows += rows
            s.bytes += bytes
            return (s.rows, s.bytes)
        }
        progress.emit(ProgressEvent(phase: .extract, kind: .progress, table: job.name, rows: total, totalRows: estimatedRows, bytes: size))
    }

    /// Records a finished range (in the journal too); returns the staged table once every range
    /// is done, else nil. Without a slice: the table whose ranges were all done by an earlier run.
    func finish(_ slice: SliceResult?, progress: ProgressSink) throws -> StagedTable? {
        let (slices, started) = try state.withLock { s in
            if let slice {
                s.done.append(slice)
                if s.done.count < ranges.count {
                    let journal = RangeJournal(key: key, ranges: ranges, done: s.done)
                    try AtomicFile.write(Array(try JSONEncoder().encode(journal)), to: staging + "/" + journalFile)
                }
            }
            return (s.done.count == ranges.count ? s.done.sorted { $0.index < $1.index } : [], s.started ?? Date())
        }
        guard !slices.isEmpty else { return nil }
        FileSystem.remove(staging + "/" + partialFolder)
        FileSystem.syncFolder(of: staging + "/" + dataFolder + "/x")
        var issues: [String: Int] = [:]
        var samples: [String: [String]] = [:]
        for slice in slices {
            for (kind, count) in slice.issueCounts { issues[kind.rawValue, default: 0] += count }
            for (kind, list) in slice.samples where samples[kind.rawValue, default: []].count < ItemConverter.defaultSamplesPerKind {
                samples[kind.rawValue, default: []] += list.prefix(ItemConverter.defaultSamplesPerKind - samples[kind.rawValue, default: []].count)
            }
        }
        let unknown = Self.merged(slices.flatMap(\.unknownColumns))
        if let issue = Assessor.unknownColumnIssue(unknown, policy: design.policies.unknownColumn, counted: true) {
            issues[issue.kind.rawValue] = issue.rows
            samples[issue.kind.rawValue] = issue.samples
        }
        let parts = slices.flatMap(\.parts)
        let table = StagedTable(
            source: job.name, design: design, schemaCQL: schemaCQL, mapping: mappingName, sourceDirectories: job.location.directories,
            tokenRange: tokenRange, compression: compression, parts: parts,
            rows: slices.reduce(0) { $0 + $1.rows }, items: slices.reduce(0) { $0 + $1.items },
            bytes: parts.reduce(0) { $0 + $1.bytes }, uncompressedBytes: slices.reduce(0) { $0 + $1.uncompressed },
            rejectedCount: slices.reduce(0) { $0 + $1.rejected }, issues: issues, issueSamples: samples,
            offloaded: slices.flatMap(\.offloaded), extractSeconds: Date().timeIntervalSince(started), marks: marks)
        var warned = Set<String>()
        for warning in slices.flatMap(\.warnings) where warned.insert(warning).inserted {
            progress.emit(ProgressEvent(phase: .extract, kind: .warning, table: job.name, message: warning))
        }
        for sample in table.issueSamples.sorted(by: { $0.key < $1.key }).flatMap(\.value) {
            progress.emit(ProgressEvent(phase: .extract, kind: .warning, table: job.name, message: sample))
        }
        progress.emit(ProgressEvent(phase: .extract, kind: .done, table: job.name, rows: table.rows, bytes: table.uncompressedBytes,
                                    counts: ["items": table.items, "rejected": table.rejectedCount, "parts": parts.count]))
        return table
    }

    /// Per SSTable, the columns every range found unknown and the cells they skipped.
    static func merged(_ found: [TableReader.UnknownColumns]) -> [TableReader.UnknownColumns] {
        var out: [TableReader.UnknownColumns] = []
        for item in found {
            guard let i = out.firstIndex(where: { $0.path == item.path }) else { out.append(item); continue }
            out[i].columns = Array(Set(out[i].columns).union(item.columns)).sorted()
            out[i].cells += item.cells
        }
        return out
    }
}
