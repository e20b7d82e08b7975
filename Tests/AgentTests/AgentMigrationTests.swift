import AWS
import CQL
import Agent
import DynamoMapping
import Foundation
import Migration
import SSTable
import TestSupport
import Testing

/// A task with a dynamodb target runs the whole pipeline on the agent: into moto, checked with boto3.
@Suite(.enabled(if: MotoServer.shouldRun, "needs moto_server and boto3"), .enabled(if: sharedSSTablesPresent))
struct AgentMigrationTests {
    @Test func dynamodbTaskMigratesTheMappedTablesAndValidates() async throws {
        try await MotoServer.with { moto in
            // The agent's own AWS environment (an instance role or profile in production) has the credentials.
            let aws = AWSEnvironment(variables: motoVariables)
            let agent = try await RunningAgent(aws: aws) { $0.aws.endpointURL = moto.url }
            try await finally({ await agent.stop() }) { () async throws in
                let c = try agent.client()
                try await finally({ try await c.shutdown() }) { () async throws in
                    // The mapping lists one of the two tables found: only that one is migrated, under its mapped name.
                    let schema = try CQLSchema.parse(String(contentsOfFile: legacySSTables + "/expected/mc/schema.cql", encoding: .utf8))
                    var design = TableDesigner.propose(try #require(schema.tables.first { $0.name == "legacy_mc_simple" }))
                    design.table = "simple"
                    let mapping = try MappingFile(tables: [design]).yaml()
                    let spec = TaskSpec(
                        name: "to dynamodb",
                        source: TaskSource(path: legacySSTables + "/mc/legacy_tables", tables: ["legacy_mc_simple", "legacy_mc_simple_counter"],
                                           schemaFile: legacySSTables + "/expected/mc/schema.cql"),
                        target: TaskTarget(kind: .dynamodb, s3: "s3://agent-stage/run1", mode: .batch, tablePrefix: "agent_", createBucket: true),
                        mapping: mapping)
                    let task = try await c.createTask(spec)
                    try await c.startTask(task.id)
                    let done = try await waitFor(120, { try await c.task(task.id) }) { $0.status.isTerminal }
                    #expect(done.status == .completed, "\(done.error ?? "")")
                    #expect(done.report?.map(\.table) == ["agent_simple"] && done.report?.first?.isMatch == true && done.report?.first?.targetItems == 5)
                    #expect(Set(done.stages.map(\.name.rawValue)).isSuperset(of: ["extract", "upload", "load", "validate"]), "\(done.stages)")
                    #expect(done.tables.contains { $0.table == "legacy_mc_simple" && $0.rows == 5 }, "\(done.tables)")
                    let check = try await moto.checkTable(table: "agent_simple", keys: ["pk"], timestamps: [],
                                                          expectedFile: legacySSTables + "/expected/mc/legacy_mc_simple.jsonl")
                    #expect(check == "OK 5", "\(check)")
                    let tables = String(decoding: try await moto.boto3("print(sorted(ddb.list_tables()['TableNames']))"), as: UTF8.self)
                    #expect(tables.trimmingCharacters(in: .whitespacesAndNewlines) == "['agent_simple']")
                    // A dynamodb target with a mode the agent does not know, or without its S3 location or mode, is refused up front.
                    var body = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(spec)) as? [String: Any])
                    body["target"] = ["kind": "dynamodb", "s3": "s3://agent-stage/run2", "mode": "upsert"]
                    await expectStatus(400) { _ = try await c.send("POST", "/v1/tasks", body: try JSONSerialization.data(withJSONObject: body)) }
                    for (missing, says) in [("s3", "target.s3 (s3://BUCKET/PREFIX) is required"), ("mode", "target.mode is required for a dynamodb target: one of import, batch")] {
                        var bad = spec
                        if missing == "s3" { bad.target.s3 = nil } else { bad.target.mode = nil }
                        let refused = await expectStatus(400) { _ = try await c.createTask(bad) }
                        #expect(refused.contains(says), "\(refused)")
                    }
                }
            }
        }
    }

    /// One table split in token ranges across two agents, both loading the same DynamoDB table in
    /// batch mode: each validates its own share, and together they load exactly every row.
    @Test func tableSplitInTokenRangesAcrossTwoAgents() async throws {
        let (data, expected, rows) = try await generateCounters(rows: 800, seed: 5)
        try await MotoServer.with { moto in
            let aws = AWSEnvironment(variables: motoVariables)
            let agents = [try await RunningAgent(dataDirectories: [data.path], aws: aws) { $0.aws.endpointURL = moto.url },
                          try await RunningAgent(dataDirectories: [data.path], aws: aws) { $0.aws.endpointURL = moto.url }]
            try await finally({ for a in agents { await a.stop() } }) { () async throws in
                let clients = try agents.map { try $0.client() }
                try await finally({ for c in clients { try await c.shutdown() } }) { () async throws in
                    let spec = TaskSpec(
                        name: "views", source: TaskSource(path: data.path + "/stats", schemaFile: data.path + "/schema.cql"),
                        target: TaskTarget(kind: .dynamodb, s3: "s3://split-stage/views", mode: .batch, createBucket: true))
                    let plan = try TaskSplit.plan(spec, agents: ["a", "b"], tokenSplit: ["all"])
                    #expect(plan.map(\.agent) == ["a", "b"] && plan.map { $0.spec.source.tokenRange } == TokenRange.split(2).map(Optional.some))
                    var done: [TaskRecord] = []
                    for (i, share) in plan.enumerated() {
                        let task = try await clients[i].createTask(share.spec)
                        try await clients[i].startTask(task.id)
                        done.append(task)
                    }
                    for i in done.indices {
                        let id = done[i].id
                        done[i] = try await waitFor(120, { try await clients[i].task(id) }) { $0.status.isTerminal }
                        #expect(done[i].status == .completed, "\(done[i].error ?? "")")
                        #expect(done[i].report?.map(\.isMatch) == [true], "\(String(describing: done[i].report))")
                    }
                    let shares = done.map { $0.report?.first?.targetItems ?? 0 }
                    #expect(shares.allSatisfy { $0 > 0 } && shares.reduce(0, +) == rows, "\(shares) of \(rows)")
                    let check = try await moto.checkTable(table: "page_views", keys: ["page", "day"], timestamps: [],
                                                          expectedFile: expected)
                    #expect(check == "OK \(rows)", "\(check)")
                    // Each share's manifest is under shares/, outside the tables' import prefixes.
                    let manifests = String(decoding: try await moto.boto3("""
                        print(sorted(o['Key'] for o in s3.list_objects_v2(Bucket='split-stage')['Contents'] if o['Key'].endswith('manifest.json')))
                        """), as: UTF8.self)
                    let folders = ["views/shares/1-of-2/manifest.json", "views/shares/2-of-2/manifest.json"]
                    #expect(manifests.trimmingCharacters(in: .whitespacesAndNewlines) == "['\(folders[0])', '\(folders[1])']", "\(manifests)")
                    // ImportTable cannot share a table: a token-range share with mode import is refused.
                    var bad = plan[0].spec
                    bad.target.mode = .import
                    await expectStatus(400) { _ = try await clients[0].createTask(bad) }
                }
            }
        }
    }
}
