import Foundation
import Migration

/// A job a task runs: the migration pipeline (``MigrationJob``). A job resumes from
/// `context.checkpoint`, reports progress through `context.update`, saves checkpoints with
/// `context.saveCheckpoint`, and throws Migration's `Stopped` once `context.stop` is set.
public protocol PipelineJob: Sendable {
    func run(_ context: JobContext) async throws
}

/// What a running job sees of its task.
public struct JobContext: Sendable {
    public let taskID: String
    public let spec: TaskSpec
    /// The task's own staging folder.
    public let stagingDirectory: String
    /// The checkpoint saved by the previous run, nil on a first run.
    public let checkpoint: String?
    /// Set when the task is asked to stop.
    public let stop: StopSignal
    let updateRecord: @Sendable (_ persist: Bool, _ body: (inout TaskRecord) -> Void) -> Void
    let logLine: @Sendable (String) -> Void

    public init(taskID: String, spec: TaskSpec, stagingDirectory: String, checkpoint: String?, stop: StopSignal,
                updateRecord: @escaping @Sendable (Bool, (inout TaskRecord) -> Void) -> Void,
                logLine: @escaping @Sendable (String) -> Void) {
        self.taskID = taskID; self.spec = spec; self.stagingDirectory = stagingDirectory; self.checkpoint = checkpoint
        self.stop = stop; self.updateRecord = updateRecord; self.logLine = logLine
    }

    /// Changes the task's progress (published to event streams; persisted with the next checkpoint).
    public func update(_ body: (inout TaskRecord) -> Void) { updateRecord(false, body) }

    /// Saves `checkpoint` with the current progress, atomically, before returning.
    public func saveCheckpoint(_ checkpoint: String, _ body: (inout TaskRecord) -> Void = { _ in }) {
        updateRecord(true) { record in
            body(&record)
            record.checkpoint = checkpoint
            record.checkpointAt = Date().timeIntervalSince1970
        }
    }

    public func setStage(_ name: PipelinePhase, _ status: StepStatus, _ message: String? = nil) {
        updateRecord(true) { record in
            if let i = record.stages.firstIndex(where: { $0.name == name }) {
                record.stages[i].status = status
                record.stages[i].message = message
            } else {
                record.stages.append(StageProgress(name: name, status: status, message: message))
            }
        }
    }

    public func log(_ line: String) { logLine(line) }
}

/// The local roots a job reads: `roots`, or the copies `fetch` makes of remote nodes' files.
/// A fetch that finished before (`done`, from the job's checkpoint) is not repeated; a new one is
/// handed to `save` so the job can checkpoint it.
func fetchedRoots(_ roots: [String], fetch: (@Sendable (JobContext) async throws -> [String])?, done: [String]?, context: JobContext,
                  save: ([String]) -> Void) async throws -> [String] {
    guard let fetch else { return roots }
    if let done { return done }
    context.setStage(.fetch, .running)
    let fetched = try await fetch(context)
    save(fetched)
    context.setStage(.fetch, .done)
    return fetched
}
