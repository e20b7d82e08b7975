@testable import Agent
import Foundation
import Logging
import Migration
import TestSupport
import Testing

/// How a dynamodb task's pipeline events show in the task record that `tasks watch`, the SSE
/// stream and the dashboard read: checked on the JSON the API sends.
struct TaskProgressTests {
    /// A job that replays pipeline events through the agent's progress sink, pausing at `gate`.
    struct ReplayJob: PipelineJob {
        let steps: [[ProgressEvent]]
        let gate: Gate
        func run(_ context: JobContext) async throws {
            let sink = TaskProgressSink(context: context).sink
            for (i, step) in steps.enumerated() {
                for event in step { sink.emit(event) }
                if i + 1 < steps.count { try await Task.sleep(for: .milliseconds(60)) }
                if i == steps.count - 2 { await gate.pause() }
            }
        }
    }

    /// Holds the job until the test has looked at the record.
    actor Gate {
        var paused = false
        var waiter: CheckedContinuation<Void, Never>?
        func pause() async { paused = true; await withCheckedContinuation { waiter = $0 } }
        func release() { waiter?.resume(); waiter = nil }
        func isPaused() -> Bool { paused && waiter != nil }
    }

    func json(_ record: TaskRecord) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(record)) as? [String: Any])
    }

    /// The entry of the DynamoDB table `named` (the CQL tables have a keyspace).
    func table(_ named: String, in record: [String: Any]) throws -> [String: Any] {
        let tables = try #require(record["tables"] as? [[String: Any]])
        return try #require(tables.first { $0["table"] as? String == named && $0["keyspace"] == nil }, "\(tables)")
    }

    @Test func aLoadingTableIsRunningWithRateAndETAAndEndsDone() async throws {
        let dir = TempDir()
        let gate = Gate()
        let steps: [[ProgressEvent]] = [
            [ProgressEvent(phase: .extract, kind: .start, table: "ks.views", totalRows: 100)],
            [ProgressEvent(phase: .extract, kind: .progress, table: "ks.views", rows: 50, totalRows: 100)],
            [ProgressEvent(phase: .extract, kind: .done, table: "ks.views", rows: 100, bytes: 4000),
             ProgressEvent(phase: .upload, kind: .start, totalRows: 1, totalBytes: 4000),
             ProgressEvent(phase: .upload, kind: .done, bytes: 4000, totalBytes: 4000),
             ProgressEvent(phase: .load, kind: .start, table: "views", totalRows: 100),
             ProgressEvent(phase: .load, kind: .progress, table: "views", rows: 10, totalRows: 100)],
            [ProgressEvent(phase: .load, kind: .progress, table: "views", rows: 40, totalRows: 100)],
            [ProgressEvent(phase: .load, kind: .progress, table: "views", rows: 60, totalRows: 100)],
        ]
        let manager = TaskManager(store: try TaskStore(directory: dir.path + "/tasks"), stagingRoot: dir.path + "/staging",
                                  logger: Logger(label: "test")) { _ in ReplayJob(steps: steps, gate: gate) }
        let task = try manager.create(TaskSpec(source: TaskSource(path: dir.path)))
        _ = try manager.start(task.id)
        let deadline = Date().addingTimeInterval(30)
        while !(await gate.isPaused()), Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await gate.isPaused())

        // Loading: running, in phase load, with its rate and time left measured in that phase.
        let loading = try json(try manager.get(task.id))
        let views = try table("views", in: loading)
        #expect(views["status"] as? String == "running", "\(views)")
        #expect(views["phase"] as? String == "load", "\(views)")
        #expect((views["rowsPerSecond"] as? Double ?? 0) > 0, "\(views)")
        #expect((views["etaSeconds"] as? Double ?? 0) > 0, "\(views)")
        let cql = try #require((loading["tables"] as? [[String: Any]])?.first { $0["keyspace"] as? String == "ks" }, "\(loading)")
        #expect(cql["status"] as? String == "done" && cql["phase"] as? String == "extract", "\(cql)")

        await gate.release()
        await manager.waitForRun(task.id)
        let ended = try json(try manager.get(task.id))
        #expect(ended["status"] as? String == "completed")
        // Once the run ended no table is left mid-phase: the loading one takes the run's outcome.
        let statuses = (ended["tables"] as? [[String: Any]] ?? []).map { $0["status"] as? String ?? "" }
        #expect(statuses == ["done", "done"], "\(ended["tables"] ?? "")")
        let stages = (ended["stages"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? ""):\($0["status"] ?? "")" }
        #expect(stages == ["extract:done", "upload:done", "load:done"], "\(stages)")
    }
}

/// Task files written before statuses were typed still load.
struct LegacyTaskFileTests {
    @Test func aPhaseNameStatusReadsAsThePhaseAndItsStatus() throws {
        func decode(_ status: String) throws -> TableProgress {
            try JSONDecoder().decode(TableProgress.self, from: Data("""
                {"table": "views", "status": "\(status)", "rows": 3, "bytes": 9, "errors": []}
                """.utf8))
        }
        let loading = try decode("load")
        #expect(loading.status == .running && loading.phase == .load && loading.rows == 3)
        let validated = try decode("validate done")
        #expect(validated.status == .done && validated.phase == .validate)
        let plain = try decode("stopped")
        #expect(plain.status == .stopped && plain.phase == nil)
        #expect(throws: DecodingError.self) { try decode("loading") }
    }
}
