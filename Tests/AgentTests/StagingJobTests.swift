import CQL
import DynamoMapping
import Foundation
import Migration
import Synchronization
import TestSupport
import Testing

@testable import Agent

/// Runs a job as a task of the agent would, outside an agent, in `staging`: the record it
/// leaves and the error it ended with.
func runJob(_ job: any PipelineJob, staging: String, checkpoint: String? = nil) async -> (record: TaskRecord, error: (any Error)?) {
    let record = Mutex(TaskRecord(id: "t-job", name: "", spec: TaskSpec(source: TaskSource(path: staging)), status: .running,
                                  createdAt: 0, updatedAt: 0, stages: [], tables: [], checkpoint: checkpoint, stagingDirectory: staging))
    let context = JobContext(taskID: "t-job", spec: record.withLock { $0.spec }, stagingDirectory: staging, checkpoint: checkpoint,
                             stop: StopSignal(), updateRecord: { _, body in record.withLock { body(&$0) } }, logLine: { _ in })
    do { try await job.run(context) } catch { return (record.withLock { $0 }, error) }
    return (record.withLock { $0 }, nil)
}

/// A staging job over local SSTables: Migration's extractor into the task's folder.
func stagingJob(_ roots: [String], schemaFile: String? = nil, schemaTable: String? = nil, tables: [String] = [],
                mapping: MappingFile? = nil, tablePrefix: String? = nil) -> MigrationJob {
    MigrationJob(roots: roots, schemaFile: schemaFile, schemaTable: schemaTable, keyspaces: [], tables: tables, mapping: mapping,
                 tablePrefix: tablePrefix)
}

/// A task with a staging target runs the pipeline up to staging, with the task's schema binding,
/// mapping and table prefix, and validates the staged parts against the manifest.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.cassandra) || TestPaths.isCI, "needs ../shared/sstables/cassandra"))
struct StagingJobTests {
    /// `schemaTable` binds SSTables in a folder that names no table to a table of a schema file
    /// holding several; without it the task fails saying so.
    @Test func schemaTableBindsAFolderOfAnyName() async throws {
        let data = TempDir()
        let folder = try data.copy(filesOf: TestPaths.cassandra + "/nb/legacy_tables/legacy_nb_simple", to: "restore/files")
        try """
            CREATE TABLE legacy_tables.legacy_nb_simple (pk text PRIMARY KEY, val text);
            CREATE TABLE legacy_tables.other (id int PRIMARY KEY);
            """.write(toFile: data.path + "/schema.cql", atomically: true, encoding: .utf8)
        let refused = await runJob(stagingJob([folder], schemaFile: data.path + "/schema.cql"), staging: TempDir().path)
        #expect(refused.error.map { "\($0)" }?.contains("pass source.schemaTable KEYSPACE.TABLE") == true, "\(refused.error.map { "\($0)" } ?? "no error")")

        let staging = TempDir()
        let bound = await runJob(stagingJob([folder], schemaFile: data.path + "/schema.cql", schemaTable: "legacy_tables.legacy_nb_simple"), staging: staging.path)
        #expect(bound.error == nil, "\(bound.error.map { "\($0)" } ?? "")")
        let items = try stagedItems(staging.path)
        #expect(Array(items.keys) == ["legacy_nb_simple"])
        #expect(try differences(items["legacy_nb_simple"] ?? [], expectedFile: TestPaths.cassandra + "/expected/nb/legacy_nb_simple.jsonl", keys: ["pk"]) == [])
        #expect(bound.record.report?.map(\.table) == ["legacy_nb_simple"] && bound.record.report?.first?.isMatch == true)
        #expect(bound.record.report?.first?.targetItems == 5)
    }

    /// The task's mapping picks the tables and their names, the table prefix goes before them,
    /// as `cass2dynamo extract --mapping --table-prefix` does.
    @Test func theMappingAndPrefixNameTheStagedTables() async throws {
        let schemaFile = TestPaths.cassandra + "/expected/mc/schema.cql"
        let schema = try CQLSchema.parse(String(contentsOfFile: schemaFile, encoding: .utf8))
        var design = TableDesigner.propose(try #require(schema.tables.first { $0.name == "legacy_mc_simple_counter" }))
        design.table = "counted"
        let staging = TempDir()
        let run = await runJob(stagingJob([TestPaths.cassandra + "/mc/legacy_tables"], schemaFile: schemaFile,
                                          tables: ["legacy_mc_simple", "legacy_mc_simple_counter"],
                                          mapping: MappingFile(tables: [design]), tablePrefix: "p_"), staging: staging.path)
        #expect(run.error == nil, "\(run.error.map { "\($0)" } ?? "")")
        let items = try stagedItems(staging.path)
        #expect(Array(items.keys) == ["p_counted"])
        #expect(try differences(items["p_counted"] ?? [], expectedFile: TestPaths.cassandra + "/expected/mc/legacy_mc_simple_counter.jsonl", keys: ["pk"]) == [])
        // The designs used, as `extract` writes them.
        #expect(try MappingFile.parse(yaml: readFile(staging.path + "/mapping.yaml")).tables.map(\.table) == ["p_counted"])
    }

    /// A part damaged after staging fails the validation, naming the part; the task's next run
    /// stages the table again and validates.
    @Test func aDamagedPartFailsTheValidationAndIsStagedAgain() async throws {
        let staging = TempDir()
        let job = stagingJob([TestPaths.cassandra + "/mc/legacy_tables/legacy_mc_simple"], schemaFile: TestPaths.cassandra + "/expected/mc/schema.cql")
        #expect(await runJob(job, staging: staging.path).error == nil)
        let part = try #require(try Manifest.load(staging: staging.path).tables.first?.parts.first)
        let url = URL(fileURLWithPath: staging.path + "/" + part.file)
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: url)
        // Checked as it stands, the part is refused by name.
        let table = try #require(try Manifest.load(staging: staging.path).tables.first)
        #expect { try StagedCheck.validate(table, staging: staging.path) } throws: {
            "\($0)".contains(part.file) && "\($0)".contains("SHA-256")
        }
        let again = await runJob(job, staging: staging.path)
        #expect(again.error == nil && again.record.report?.first?.isMatch == true, "\(again.error.map { "\($0)" } ?? "")")
        #expect(try stagedItems(staging.path)["legacy_mc_simple"]?.count == 5)
    }
}

/// Task files written by earlier versions still load: the former staging job's report (one
/// object with rows and checksums) reads as none, its checkpoint is ignored by the pipeline,
/// and the task resumes into staged parts.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.cassandra) || TestPaths.isCI, "needs ../shared/sstables/cassandra"))
struct FormerTaskFileTests {
    @Test func aTaskOfTheFormerStagingJobLoadsAndResumes() async throws {
        let dir = TempDir()
        let staging = dir.path + "/staging/t-old"
        let source = TestPaths.cassandra + "/mc/legacy_tables/legacy_mc_simple"
        let checkpoint = #"{\"table\":0,\"rows\":3,\"bytes\":120,\"now\":1700000000,\"sstables\":[\"x 1\"]}"#
        try FileManager.default.createDirectory(atPath: dir.path + "/tasks", withIntermediateDirectories: true)
        try """
            {"id": "t-old", "name": "old", "status": "stopped", "createdAt": 1, "updatedAt": 2,
             "spec": {"source": {"path": "\(source)", "schemaFile": "\(TestPaths.cassandra)/expected/mc/schema.cql"}, "target": {"kind": "staging"}},
             "stages": [{"name": "extract", "status": "stopped"}],
             "tables": [{"keyspace": "legacy_tables", "table": "legacy_mc_simple", "status": "stopped", "rows": 3, "bytes": 120, "errors": []}],
             "checkpoint": "\(checkpoint)", "stagingDirectory": "\(staging)",
             "report": {"tables": [{"table": "legacy_tables.legacy_mc_simple", "sourceRows": 5, "targetRows": 5, "checksum": "sha256:00", "ok": true}]}}
            """.write(toFile: dir.path + "/tasks/t-old.json", atomically: true, encoding: .utf8)
        let (tasks, problems) = try TaskStore(directory: dir.path + "/tasks").loadAll()
        #expect(problems.isEmpty, "\(problems)")
        let old = try #require(tasks.first)
        #expect(old.report == nil && old.spec.target.kind == .staging && old.tables.first?.rows == 3)

        let run = await runJob(stagingJob([source], schemaFile: old.spec.source.schemaFile), staging: staging, checkpoint: old.checkpoint)
        #expect(run.error == nil, "\(run.error.map { "\($0)" } ?? "")")
        #expect(try differences(try stagedItems(staging)["legacy_mc_simple"] ?? [], expectedFile: TestPaths.cassandra + "/expected/mc/legacy_mc_simple.jsonl",
                                keys: ["pk"]) == [])
        // The report now: Migration's, one per DynamoDB table, with its outcome on the wire.
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(run.record)) as? [String: Any])
        let report = try #require(json["report"] as? [[String: Any]])
        #expect(report.count == 1 && report[0]["table"] as? String == "legacy_mc_simple" && report[0]["match"] as? Bool == true, "\(report)")
        #expect(report[0]["expectedItems"] as? Int == 5 && report[0]["targetItems"] as? Int == 5, "\(report)")
        let back = try JSONDecoder().decode(TaskRecord.self, from: JSONEncoder().encode(run.record))
        #expect(back.report == run.record.report)
    }

    /// A target kind or mode the agent does not know is refused naming the allowed ones.
    @Test func anUnknownKindOrModeNamesTheAllowedOnes() throws {
        func message(_ target: String) -> String {
            do {
                _ = try JSONDecoder().decode(TaskSpec.self, from: Data(#"{"source": {"path": "/d"}, "target": \#(target)}"#.utf8))
                return "decoded"
            } catch let error as DecodingError { return error.userMessage } catch { return "\(error)" }
        }
        #expect(message(#"{"kind": "s3"}"#) == "target.kind: 's3' is not one of staging, dynamodb")
        #expect(message(#"{"kind": "dynamodb", "mode": "upsert"}"#) == "target.mode: 'upsert' is not one of import, batch")
        let spec = try JSONDecoder().decode(TaskSpec.self, from: Data(#"{"source": {"path": "/d"}, "target": {"kind": "dynamodb", "mode": "batch"}}"#.utf8))
        #expect(spec.target.kind == .dynamodb && spec.target.mode == .batch)
        let wire = String(decoding: try JSONEncoder().encode(spec.target), as: UTF8.self)
        #expect(wire.contains(#""kind":"dynamodb""#) && wire.contains(#""mode":"batch""#), "\(wire)")
    }
}
