import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Agent

/// A staging task stopped and resumed after some rows' TTLs expired in between stages exactly
/// the rows of a run that never stopped: the resumed run judges TTLs at the first run's time.
@Suite struct ExtractionResumeTests {
    /// Runs an ExtractionJob into `staging` with `checkpoint`, setting the stop flag once `stopAfter`
    /// rows are checkpointed; returns the last checkpoint saved.
    static func run(_ data: String, staging: String, checkpoint: String?, at now: Int64, rowsPerSecond: Double?, stopAfter: Int64?) async throws -> String? {
        let saved = Mutex<String?>(checkpoint)
        let record = Mutex(TaskRecord(id: "t-resume", name: "", spec: TaskSpec(source: TaskSource(path: data)), status: .running,
                                      createdAt: 0, updatedAt: 0, stages: [], tables: [], stagingDirectory: staging))
        let stop = StopFlag()
        let context = JobContext(
            taskID: "t-resume", spec: record.withLock { $0.spec }, stagingDirectory: staging, checkpoint: checkpoint, stopFlag: stop,
            updateRecord: { persist, body in
                record.withLock { r in
                    body(&r)
                    guard persist else { return }
                    saved.withLock { $0 = r.checkpoint }
                    if let stopAfter, r.tables.reduce(0, { $0 + $1.rows }) >= stopAfter { stop.set() }
                }
            },
            logLine: { _ in })
        var job = ExtractionJob(roots: [data], schemaFile: data + "/schema.cql", rowsPerSecond: rowsPerSecond)
        job.clock = { now }
        do { try await job.run(context) } catch is JobStopped {}
        return saved.withLock { $0 }
    }

    static func staged(_ folder: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".jsonl") {
            out[name] = readFile(folder + "/" + name)
        }
        return out
    }

    @Test func ttlExpiringBetweenStopAndResumeChangesNothing() async throws {
        // The generator writes about 30 days before its --now; the iot profile's rows with a
        // 180-day TTL expire 150 days after it.
        let generatedAt: Int64 = 1_700_000_000
        let expiry = generatedAt + 150 * 86400
        let data = TempDir()
        let generated = try await runProgram(try TestPaths.binary(), [
            "generate", "--profile", "iot", "--rows", "3000", "--seed", "5", "--sstables", "2", "--now", String(generatedAt), "--out", data.path])
        #expect(generated.status == 0, "\(generated.stderr)")

        let (before, after) = (expiry - 3600, expiry + 3600)
        let clean = TempDir()
        _ = try await Self.run(data.path, staging: clean.path, checkpoint: nil, at: before, rowsPerSecond: nil, stopAfter: nil)
        let cleanRows = try Self.staged(clean.path)
        let beyond = TempDir()
        _ = try await Self.run(data.path, staging: beyond.path, checkpoint: nil, at: after, rowsPerSecond: nil, stopAfter: nil)
        // The test can fail: judged an hour past the expiry, rows are gone.
        #expect(try Self.staged(beyond.path) != cleanRows, "no row expired; the test proves nothing")

        let stopped = TempDir()
        let checkpoint = try await Self.run(data.path, staging: stopped.path, checkpoint: nil, at: before, rowsPerSecond: 1000, stopAfter: 100)
        #expect(checkpoint != nil)
        _ = try await Self.run(data.path, staging: stopped.path, checkpoint: checkpoint, at: after, rowsPerSecond: nil, stopAfter: nil)
        #expect(try Self.staged(stopped.path) == cleanRows)
    }
}

/// A task's `schemaTable` binds SSTables in a folder that names no table to a table of a schema
/// file holding several; without it the task fails saying so.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.cassandra) || TestPaths.isCI, "needs ../shared/sstables/cassandra"))
struct SchemaTableTaskTests {
    @Test func schemaTableBindsAFolderOfAnyName() async throws {
        let data = TempDir()
        let folder = try data.copy(filesOf: TestPaths.cassandra + "/nb/legacy_tables/legacy_nb_simple", to: "restore/files")
        try """
            CREATE TABLE legacy_tables.legacy_nb_simple (pk text PRIMARY KEY, val text);
            CREATE TABLE legacy_tables.other (id int PRIMARY KEY);
            """.write(toFile: data.path + "/schema.cql", atomically: true, encoding: .utf8)
        func run(_ table: String?) async throws -> (String?, String) {
            let staging = TempDir()
            let record = Mutex(TaskRecord(id: "t-bind", name: "", spec: TaskSpec(source: TaskSource(path: folder)), status: .running,
                                          createdAt: 0, updatedAt: 0, stages: [], tables: [], stagingDirectory: staging.path))
            let context = JobContext(taskID: "t-bind", spec: record.withLock { $0.spec }, stagingDirectory: staging.path, checkpoint: nil,
                                     stopFlag: StopFlag(), updateRecord: { _, body in record.withLock { body(&$0) } }, logLine: { _ in })
            let job = ExtractionJob(roots: [folder], schemaFile: data.path + "/schema.cql", schemaTable: table)
            do { try await job.run(context) } catch { return ("\(error)", "") }
            return (nil, readFile(staging.path + "/legacy_tables.legacy_nb_simple.jsonl"))
        }
        let (refused, _) = try await run(nil)
        #expect(refused?.contains("pass source.schemaTable KEYSPACE.TABLE") == true, "\(refused ?? "no error")")
        let (error, staged) = try await run("legacy_tables.legacy_nb_simple")
        #expect(error == nil, "\(error ?? "")")
        #expect(staged.split(separator: "\n").count == 5 && staged.hasPrefix(#"{"pk":"#))
    }
}
