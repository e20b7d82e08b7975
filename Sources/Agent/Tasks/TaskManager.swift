import Foundation
import Logging
import Migration
import Synchronization

/// An error a request caused: an HTTP status (4xx) and a message for the client.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var message: String
    public init(_ status: Int, _ message: String) { self.status = status; self.message = message }
    public var description: String { message }
    static func badRequest(_ m: String) -> APIError { APIError(400, m) }
    static func notFound(_ m: String) -> APIError { APIError(404, m) }
    static func conflict(_ m: String) -> APIError { APIError(409, m) }
}

/// Makes the job a task runs.
public typealias JobFactory = @Sendable (TaskRecord) throws -> any PipelineJob

/// Creates, runs, stops, resumes and deletes tasks; keeps them on disk through `TaskStore`.
public final class TaskManager: Sendable {
    public let store: TaskStore
    public let events: EventHub
    let stagingRoot: String
    let logger: Logger
    let jobFactory: Mutex<JobFactory>

    struct State {
        var records: [String: TaskRecord] = [:]
        var stops: [String: StopSignal] = [:]
        var runs: [String: Task<Void, Never>] = [:]
        var deleted: Set<String> = []
        var lastPublish: [String: Double] = [:]
    }
    let state = Mutex(State())

    /// Loads every stored task; a task that was running when the agent died is marked
    /// `interrupted` and keeps its last checkpoint, ready to resume.
    public init(store: TaskStore, stagingRoot: String, events: EventHub = EventHub(), logger: Logger, jobFactory: @escaping JobFactory) {
        self.store = store
        self.events = events
        self.stagingRoot = stagingRoot
        self.logger = logger
        self.jobFactory = Mutex(jobFactory)
        let (tasks, problems) = store.loadAll()
        for p in problems { logger.warning("skipping unreadable task file", metadata: ["problem": "\(p)"]) }
        let deleted = store.deletedIDs()
        state.withLock { s in
            s.deleted = deleted
            for var t in tasks {
                if t.status.isActive {
                    t.status = .interrupted
                    Self.endRunningSteps(&t, .interrupted)
                    t.updatedAt = Date().timeIntervalSince1970
                    try? store.save(t)
                    store.appendLog(t.id, "agent restarted: task interrupted; resume keeps what its staging folder holds (tables staged, parts uploaded and loaded)")
                }
                s.records[t.id] = t
            }
        }
    }

    /// Replaces the job factory (the migration pipeline, once wired, or a test's job).
    public func setJobFactory(_ factory: @escaping JobFactory) { jobFactory.withLock { $0 = factory } }

    public func list() -> [TaskRecord] {
        state.withLock { Array($0.records.values) }.sorted { $0.createdAt < $1.createdAt }
    }

    public func get(_ id: String) throws(APIError) -> TaskRecord {
        let found = state.withLock { s -> (TaskRecord?, Bool) in (s.records[id], s.deleted.contains(id)) }
        if let r = found.0 { return r }
        if found.1 { throw APIError(410, "task \(id) was deleted") }
        throw .notFound("no task \(id)")
    }

    public func create(_ spec: TaskSpec) throws -> TaskRecord {
        let id = "t-" + UUID().uuidString.lowercased().prefix(8)
        let now = Date().timeIntervalSince1970
        let record = TaskRecord(
            id: id, name: spec.name ?? id, spec: spec, status: .created, createdAt: now, updatedAt: now,
            stages: [], tables: [], checkpoint: nil, error: nil, stagingDirectory: "\(stagingRoot)/\(id)")
        try store.save(record)
        state.withLock { $0.records[id] = record }
        store.appendLog(id, "created: \(record.name)")
        logger.info("task created", metadata: ["task": "\(id)"])
        publish(record, force: true)
        return record
    }

    /// Starts a created task, or resumes a stopped, interrupted or failed one from its checkpoint.
    public func start(_ id: String) throws -> TaskRecord {
        var record = try get(id)
        guard record.status.isStartable else {
            throw APIError.conflict("task \(id) is \(record.status.rawValue); only created, stopped, interrupted or failed tasks can be started")
        }
        let job: any PipelineJob
        do { job = try jobFactory.withLock { $0 }(record) } catch let e as APIError { throw e } catch { throw APIError.badRequest("\(error)") }
        let resuming = record.status != .created
        let stop = StopSignal()
        record.status = .running
        record.error = nil
        record.startedAt = Date().timeIntervalSince1970
        record.finishedAt = nil
        record.updatedAt = record.startedAt!
        try store.save(record)
        let context = JobContext(
            taskID: id, spec: record.spec, stagingDirectory: record.stagingDirectory, checkpoint: record.checkpoint, stop: stop,
            updateRecord: { [weak self] persist, body in self?.mutate(id, persist: persist, body) },
            logLine: { [weak self] line in self?.log(id, line) })
        state.withLock { s in
            s.records[id] = record
            s.stops[id] = stop
        }
        log(id, resuming ? "resumed from checkpoint" : "started")
        publish(record, force: true)
        let run = Task.detached { [weak self] in
            var outcome: (TaskStatus, String?) = (.completed, nil)
            do { try await job.run(context) } catch is Stopped { outcome = (.stopped, nil) } catch { outcome = (.failed, "\(error)") }
            self?.finish(id, outcome.0, outcome.1)
        }
        state.withLock { $0.runs[id] = run }
        return record
    }

    /// Asks a running task to stop at its next checkpoint.
    public func stop(_ id: String) throws -> TaskRecord {
        let record = try get(id)
        guard record.status == .running else {
            throw APIError.conflict("task \(id) is \(record.status.rawValue), not running")
        }
        // The request is recorded (status, log line) before the run is signalled, so watchers
        // see `stopping` and "stop requested" before the run's own `stopped`. A run that ended
        // on its own meanwhile is not set back to stopping.
        var answer = record
        mutate(id, persist: true) { r in
            if r.status == .running { r.status = .stopping }
            answer = r
        }
        log(id, "stop requested")
        state.withLock { $0.stops[id]?.stop() }
        return answer
    }

    /// Deletes a task that is not running; with `removeStaging`, its staging folder too.
    public func delete(_ id: String, removeStaging: Bool) throws {
        let record = try get(id)
        guard !record.status.isActive else { throw APIError.conflict("task \(id) is \(record.status.rawValue); stop it before deleting it") }
        state.withLock { s in
            s.records[id] = nil
            s.deleted.insert(id)
            s.runs[id] = nil
            s.stops[id] = nil
        }
        store.remove(id)
        if removeStaging, record.stagingDirectory.hasPrefix(stagingRoot + "/") {
            try? FileManager.default.removeItem(atPath: record.stagingDirectory)
        }
        logger.info("task deleted", metadata: ["task": "\(id)", "staging_removed": "\(removeStaging)"])
        events.publish(id, ServerSentEvent(event: "deleted", data: "{\"id\":\"\(id)\"}"))
        events.finish(id)
    }

    /// Waits for a task's current run to end (tests, shutdown).
    public func waitForRun(_ id: String) async {
        let run = state.withLock { $0.runs[id] }
        await run?.value
    }

    // MARK: - internals

    func mutate(_ id: String, persist: Bool, _ body: (inout TaskRecord) -> Void) {
        let updated: TaskRecord? = state.withLock { s in
            guard var r = s.records[id] else { return nil }
            body(&r)
            r.updatedAt = Date().timeIntervalSince1970
            s.records[id] = r
            return r
        }
        guard let updated else { return }
        if persist {
            do { try store.save(updated) } catch { logger.error("cannot save task", metadata: ["task": "\(id)", "error": "\(error)"]) }
        }
        publish(updated, force: persist)
    }

    func finish(_ id: String, _ status: TaskStatus, _ error: String?) {
        mutate(id, persist: true) { r in
            r.status = status
            r.error = error
            r.finishedAt = Date().timeIntervalSince1970
            Self.endRunningSteps(&r, status)
        }
        state.withLock { s in
            s.stops[id] = nil
            s.runs[id] = nil
        }
        log(id, error.map { "failed: \($0)" } ?? status.rawValue)
        if let r = try? get(id) { events.publish(id, ServerSentEvent(event: "end", data: encode(r))) }
    }

    /// A run that ended leaves no stage or table `running`: they take the run's outcome.
    static func endRunningSteps(_ r: inout TaskRecord, _ outcome: TaskStatus) {
        let status = StepStatus(endingAs: outcome)
        for i in r.stages.indices where r.stages[i].status == .running { r.stages[i].status = status }
        for i in r.tables.indices where r.tables[i].status == .running {
            r.tables[i].status = status
            r.tables[i].etaSeconds = nil
        }
    }

    func log(_ id: String, _ line: String) {
        store.appendLog(id, line)
        logger.info("\(line)", metadata: ["task": "\(id)"])
        events.publish(id, ServerSentEvent(event: "log", data: line))
    }

    /// Publishes a progress event (at most five a second per task unless `force`).
    func publish(_ record: TaskRecord, force: Bool) {
        let now = Date().timeIntervalSince1970
        let go = state.withLock { s -> Bool in
            if !force, let last = s.lastPublish[record.id], now - last < 0.2 { return false }
            s.lastPublish[record.id] = now
            return true
        }
        if go { events.publish(record.id, ServerSentEvent(event: "progress", data: encode(record))) }
    }

    func encode(_ r: TaskRecord) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: (try? e.encode(r)) ?? Data(), as: UTF8.self)
    }
}
