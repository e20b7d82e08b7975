import CQL
import Crypto
import Foundation
import HexCoding
import Migration
import SSTable

/// The agent's own job: reads the tables of a local folder (or of copies fetched from remote
/// nodes) with the SSTable readers and writes each table's live rows as JSON Lines
/// (`<staging>/<keyspace>.<table>.jsonl`, SELECT JSON encoding), with counts, a checkpoint
/// after every batch, and a validation report (rows read vs lines staged, SHA-256).
public struct ExtractionJob: PipelineJob {
    /// Local roots to read (a data directory, keyspace or table folder); several = replicas.
    public var roots: [String]
    /// Fetches remote nodes' files first; returns the local roots.
    public var fetch: (@Sendable (JobContext) async throws -> [String])?
    public var snapshot: String?
    public var schemaFile: String?
    /// `keyspace.table` of the schema the SSTables belong to (see ``SchemaResolver``).
    public var schemaTable: String?
    public var keyspaces: Set<String>?
    public var tables: Set<String>?
    public var rowsPerSecond: Double?
    /// Only partitions whose token lies here; nil: all.
    public var tokenRange: TokenRange?
    /// The current time in seconds since the epoch, read once by a task's first run (TTLs are judged at it).
    public var clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }

    public init(roots: [String], fetch: (@Sendable (JobContext) async throws -> [String])? = nil, snapshot: String? = nil,
                schemaFile: String? = nil, schemaTable: String? = nil, keyspaces: Set<String>? = nil, tables: Set<String>? = nil,
                rowsPerSecond: Double? = nil, tokenRange: TokenRange? = nil) {
        self.roots = roots; self.fetch = fetch; self.snapshot = snapshot; self.schemaFile = schemaFile; self.schemaTable = schemaTable
        self.keyspaces = keyspaces; self.tables = tables; self.rowsPerSecond = rowsPerSecond; self.tokenRange = tokenRange
    }

    /// Where the job is: tables before `table` are done; `rows` rows (`bytes` bytes) of `table` are staged.
    /// A resume skips `rows` rows, which is exact only when the rows come out the same: so the
    /// checkpoint keeps the time TTLs are judged at (`now`, chosen by the first run) and what the
    /// table's SSTables were (`sstables`); when they changed, the table is staged from its start.
    struct Checkpoint: Codable {
        var fetched: [String]?
        var table: Int = 0
        var rows: Int64 = 0
        var bytes: Int64 = 0
        var now: Int64?
        var sstables: [String]?
    }

    public func run(_ context: JobContext) async throws {
        var checkpoint = context.checkpoint.flatMap { try? JSONDecoder().decode(Checkpoint.self, from: Data($0.utf8)) } ?? Checkpoint()
        let lock = try StagingLock(folder: context.stagingDirectory)
        defer { withExtendedLifetime(lock) {} }
        if checkpoint.now == nil {
            checkpoint.now = clock()
            context.saveCheckpoint(Self.text(checkpoint))
        }
        let roots = try await fetchedRoots(self.roots, fetch: fetch, done: checkpoint.fetched, context: context) { fetched in
            checkpoint.fetched = fetched
            context.saveCheckpoint(Self.text(checkpoint))
        }
        if context.shouldStop { throw JobStopped() }
        context.setStage(.extract, .running)
        let locations = try discover(roots, resolver: try resolver(now: checkpoint.now ?? clock()))
        guard !locations.isEmpty else { throw AgentError("no tables found under \(roots.joined(separator: ", "))") }
        context.update { r in
            let names = locations.map { TableProgress(keyspace: $0.keyspace, table: $0.table) }
            if r.tables.map(\.qualifiedName) != names.map(\.qualifiedName) { r.tables = names }
        }
        let start = checkpoint
        let job = self
        try await Self.onThread {
            try job.extract(locations, from: start, context)
        }
        context.setStage(.extract, .done)
        context.setStage(.validate, .running)
        let report = try validate(context)
        context.saveCheckpoint(Self.text(Checkpoint(fetched: checkpoint.fetched, table: locations.count, now: checkpoint.now))) { $0.report = report }
        context.setStage(.validate, report.ok ? .done : .failed, report.ok ? nil : "staged rows differ from rows read")
        if !report.ok { throw AgentError("validation failed: staged rows differ from rows read") }
    }

    /// The task's schema file (if any) and how tables are matched to it.
    func resolver(now: Int64) throws -> SchemaResolver {
        guard let schemaFile else { return SchemaResolver(file: nil, table: schemaTable, tableOption: "source.schemaTable", now: now) }
        let text = try String(contentsOfFile: schemaFile, encoding: .utf8)
        return SchemaResolver(file: try CQLSchema.parse(text), fileName: schemaFile, table: schemaTable, tableOption: "source.schemaTable", now: now)
    }

    /// Tables under the roots, named after the schema table each is matched to, with the same
    /// keyspace.table from several roots merged as replicas.
    func discover(_ roots: [String], resolver: SchemaResolver) throws -> [TableLocation] {
        var merged: [String: TableLocation] = [:]
        var order: [String] = []
        for root in roots {
            for found in try SSTableDiscovery.tables(at: root, snapshot: snapshot) {
                let loc = try resolver.resolve(found).location
                let key = "\(loc.keyspace ?? "").\(loc.table)"
                if let keyspaces, let ks = loc.keyspace, !keyspaces.contains(ks) { continue }
                if let tables, !tables.contains(loc.table), !tables.contains(key) { continue }
                if var existing = merged[key] {
                    existing.directories += loc.directories
                    existing.sstables += loc.sstables
                    merged[key] = existing
                } else {
                    merged[key] = loc
                    order.append(key)
                }
            }
        }
        return order.sorted().compactMap { merged[$0] }
    }

    func fileName(_ loc: TableLocation) -> String { "\(loc.keyspace ?? "_").\(loc.table).jsonl" }

    /// Reads every table from the checkpoint on; runs on its own thread (the readers block).
    func extract(_ locations: [TableLocation], from start: Checkpoint, _ context: JobContext) throws {
        let now = start.now ?? clock()
        let resolver = try resolver(now: now)
        var checkpoint = start
        let began = Date()
        var rowsThisRun: Int64 = 0
        for index in checkpoint.table..<locations.count {
            let location = locations[index]
            let path = "\(context.stagingDirectory)/\(fileName(location))"
            let reader = try TableReader(location: location, schema: try resolver.schema(for: location), now: now)
            let sstables = reader.sstables.map { s in "\(s.descriptor.dataPath) \(NodeAccess.size(s.descriptor.dataPath) ?? -1)" }.sorted()
            var resumes = index == checkpoint.table
            if resumes, checkpoint.rows > 0, checkpoint.sstables != sstables {
                context.log("\(location.keyspace ?? "_").\(location.table): its SSTables changed since the stop: staging it from its start")
                resumes = false
            }
            let skip = resumes ? checkpoint.rows : 0
            let keepBytes = resumes ? checkpoint.bytes : 0
            checkpoint.sstables = sstables
            let out = try StagingFile(path: path, keepBytes: keepBytes)
            defer { out.close() }
            if let tokenRange { try reader.restrict(to: tokenRange) }
            let estimate = Int64(Double(reader.sstables.compactMap { $0.statistics.totalRows }.reduce(0, +)) * (tokenRange?.fraction ?? 1))
            context.update { r in
                r.tables[index].phase = .extract
                r.tables[index].status = .running
                r.tables[index].estimatedRows = estimate > 0 ? estimate : nil
            }
            context.log("extracting \(location.keyspace ?? "_").\(location.table) from \(reader.sstables.count) SSTable(s)\(skip > 0 ? ", skipping \(skip) rows already staged" : "")")
            var seen: Int64 = 0
            var rows = skip
            var lastCheckpoint = Date()
            let tableStart = Date()
            var buffer: [UInt8] = []
            func save() throws {
                try out.append(&buffer, sync: true)
                checkpoint.table = index
                checkpoint.rows = rows
                checkpoint.bytes = out.length
                let elapsed = Date().timeIntervalSince(tableStart)
                let rate = elapsed > 0 ? Double(rows - skip) / elapsed : nil
                let (done, size) = (rows, out.length)
                context.saveCheckpoint(Self.text(checkpoint)) { r in
                    r.tables[index].rows = done
                    r.tables[index].bytes = size
                    r.tables[index].rowsPerSecond = rate
                    if let rate, rate > 0, estimate > done { r.tables[index].etaSeconds = Double(estimate - done) / rate } else { r.tables[index].etaSeconds = nil }
                }
                lastCheckpoint = Date()
            }
            try reader.forEachRow { row in
                seen += 1
                if seen <= skip { return }
                try row.appendJSONLine(to: &buffer)
                rows += 1
                rowsThisRun += 1
                if buffer.count >= 1 << 20 { try out.append(&buffer, sync: false) }
                if let rps = rowsPerSecond, rps > 0 {
                    let ahead = Double(rowsThisRun) / rps - Date().timeIntervalSince(began)
                    if ahead > 0 { usleep(UInt32(min(ahead, 1) * 1_000_000)) }
                }
                // An atomic load per row: a stop is honoured at the next row, not dozens of rows later.
                if context.shouldStop { try save(); throw JobStopped() }
                if Date().timeIntervalSince(lastCheckpoint) >= 0.5 { try save() }
            }
            try save()
            for w in reader.warnings { context.log("warning: \(w)") }
            context.update { r in
                r.tables[index].status = .done
                r.tables[index].etaSeconds = 0
            }
            checkpoint = Checkpoint(fetched: checkpoint.fetched, table: index + 1, rows: 0, bytes: 0, now: now)
            context.saveCheckpoint(Self.text(checkpoint))
            if context.shouldStop && index + 1 < locations.count { throw JobStopped() }
        }
    }

    /// Counts the staged lines of each table against the rows read, with the file's SHA-256.
    func validate(_ context: JobContext) throws -> ValidationReport {
        let record = context
        var out: [ValidationReport.Table] = []
        var tables: [TableProgress] = []
        record.update { tables = $0.tables }
        for t in tables {
            let path = "\(context.stagingDirectory)/\(t.keyspace ?? "_").\(t.table).jsonl"
            let data = FileManager.default.contents(atPath: path) ?? Data()
            let lines = Int64(data.reduce(0) { $0 + ($1 == 10 ? 1 : 0) })
            let digest = Hex.encode(SHA256.hash(data: data))
            out.append(.init(table: t.qualifiedName, sourceRows: t.rows, targetRows: lines, checksum: "sha256:" + digest, ok: lines == t.rows))
        }
        return ValidationReport(tables: out)
    }

    static func text(_ c: Checkpoint) -> String { String(decoding: (try? JSONEncoder().encode(c)) ?? Data(), as: UTF8.self) }

    /// Runs blocking work on a thread of its own, not on the cooperative pool.
    static func onThread(_ body: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do { try body(); c.resume() } catch { c.resume(throwing: error) }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}

/// A staging file truncated to its checkpointed length and appended to.
final class StagingFile {
    let fd: Int32
    private(set) var length: Int64

    init(path: String, keepBytes: Int64) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw AgentError("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard ftruncate(fd, off_t(keepBytes)) == 0, lseek(fd, off_t(keepBytes), SEEK_SET) >= 0 else {
            Foundation.close(fd)
            throw AgentError("cannot truncate \(path): \(String(cString: strerror(errno)))")
        }
        length = keepBytes
    }

    func append(_ buffer: inout [UInt8], sync: Bool) throws {
        var done = 0
        try buffer.withUnsafeBytes { raw in
            while done < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 { if errno == EINTR { continue }; throw AgentError("write failed: \(String(cString: strerror(errno)))") }
                done += n
            }
        }
        length += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
        if sync { fsync(fd) }
    }

    func close() { Foundation.close(fd) }
}
