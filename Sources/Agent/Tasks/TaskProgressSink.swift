import Foundation
import Migration
import Synchronization

/// Maps the pipeline's progress events onto the task record: stages, per-table phase, status,
/// rows, bytes, rate and ETA (per phase), errors, and a log line per notable event.
final class TaskProgressSink: Sendable {
    let context: JobContext
    let rates = Mutex(PhaseRates())
    let phases = Mutex<Set<PipelinePhase>>([])

    init(context: JobContext) { self.context = context }

    var sink: ProgressSink { ProgressSink { [self] event in handle(event) } }

    func handle(_ event: ProgressEvent) {
        if phases.withLock({ $0.insert(event.phase).inserted }) { context.setStage(event.phase, .running) }
        switch event.kind {
        case .done where event.table == nil:
            context.setStage(event.phase, .done)
        case .error:
            context.log("\(event.phase.rawValue) \(event.table ?? ""): error: \(event.message ?? "")")
        case .warning, .skip:
            context.log("\(event.phase.rawValue) \(event.table ?? ""): \(event.kind.rawValue): \(event.message ?? event.part ?? "")")
        case .start where event.table != nil:
            context.log("\(event.phase.rawValue) \(event.table ?? ""): start")
        case .start, .progress, .done, .summary:
            break
        }
        let estimate = rates.withLock { $0.observe(event) }
        // Extract events name the CQL table (`ks.table`), load, import and validate events the
        // DynamoDB table: two entries, even when the names are alike. The CQL tables come first,
        // then the DynamoDB ones, each in name order, whichever table's events come first.
        guard event.phase.countsPerTable, let name = event.table else { return }
        let source = event.phase == .extract
        func precedes(_ a: (source: Bool, name: String), _ b: (source: Bool, name: String)) -> Bool {
            a.source != b.source ? a.source : a.name < b.name
        }
        context.update { record in
            let index = record.tables.firstIndex { $0.qualifiedName == name && ($0.phase == .extract) == source } ?? {
                let dot = name.firstIndex(of: ".")
                let at = record.tables.firstIndex { precedes((source, name), ($0.phase == .extract, $0.qualifiedName)) } ?? record.tables.count
                record.tables.insert(TableProgress(keyspace: dot.map { String(name[..<$0]) }, table: dot.map { String(name[name.index(after: $0)...]) } ?? name), at: at)
                return at
            }()
            record.tables[index].apply(event, estimate)
        }
    }
}

extension TableProgress {
    /// Takes one event of the table's pipeline: a new phase starts its counts and rate afresh.
    mutating func apply(_ event: ProgressEvent, _ estimate: PhaseRates.Estimate?) {
        if event.kind == .start || phase != event.phase {
            phase = event.phase
            rows = 0
            rowsPerSecond = nil
            etaSeconds = nil
        }
        switch event.kind {
        case .start, .progress: status = .running
        case .done: status = .done
        case .skip: status = .skipped
        case .error: status = .failed
        case .warning, .summary: break
        }
        if let rows = event.rows { self.rows = Int64(rows) }
        if let bytes = event.bytes { self.bytes = Int64(bytes) }
        if let total = event.totalRows { estimatedRows = Int64(total) }
        if let estimate {
            rowsPerSecond = estimate.rowsPerSecond
            etaSeconds = estimate.etaSeconds
        }
        if status != .running { etaSeconds = nil }
        if event.kind == .error, let message = event.message { errors.append(message) }
    }
}
