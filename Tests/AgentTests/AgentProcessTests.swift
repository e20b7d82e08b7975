import AWS
import Agent
import Foundation
import TestSupport
import Testing

/// The real binary: `agent init`, `agent serve`, and a task that survives `kill -9`.
@Suite("Agent process", .serialized)
struct AgentProcessTests {
    @Test func killNineMidTaskThenResumeEqualsACleanRun() async throws {
        let agent = try await AgentProcess()
        for f in ["agent-settings.yaml", "token", "tls/ca.pem", "tls/server.pem", "tls/client.pem", "tls/server-key.pem", "tls/client-key.pem"] {
            #expect(FileManager.default.fileExists(atPath: "\(agent.dir.path)/\(f)"))
        }
        var c = try await agent.start()
        let source = TaskSource(path: legacySSTables + "/mc/legacy_tables/legacy_mc_clust")
        let clean: TaskRecord = try await c.post("/v1/tasks", json: TaskSpec(name: "clean", source: source))
        let _: TaskRecord = try await c.post("/v1/tasks/\(clean.id)/start", json: Optional<String>.none)
        let cleanDone = try await waitFor(30, { try await c.get("/v1/tasks/\(clean.id)", as: TaskRecord.self) }, until: { $0.status == .completed })
        #expect(cleanDone.status == .completed)

        let slow: TaskRecord = try await c.post("/v1/tasks", json: TaskSpec(name: "slow", source: source, rowsPerSecond: 80))
        let _: TaskRecord = try await c.post("/v1/tasks/\(slow.id)/start", json: Optional<String>.none)
        _ = try await waitFor(30, { try await c.get("/v1/tasks/\(slow.id)", as: TaskRecord.self) }, until: { ($0.tables.first?.rows ?? 0) >= 80 })
        try await c.shutdown()
        await agent.kill9()

        c = try await agent.start()
        let list: [TaskRecord] = try await c.get("/v1/tasks")
        #expect(list.map(\.name) == ["clean", "slow"])
        let after = try #require(list.last)
        #expect(after.status == .interrupted)
        let checkpointRows = after.tables.first?.rows ?? 0
        #expect(checkpointRows > 0 && checkpointRows < 250)
        let _: TaskRecord = try await c.post("/v1/tasks/\(slow.id)/resume", json: Optional<String>.none)
        let done = try await waitFor(30, { try await c.get("/v1/tasks/\(slow.id)", as: TaskRecord.self) }, until: { $0.status == .completed })
        #expect(done.status == .completed, "\(done.error ?? "")")
        #expect(done.report?.ok == true)
        let a = readFile(cleanDone.stagingDirectory + "/legacy_tables.legacy_mc_clust.jsonl")
        let b = readFile(done.stagingDirectory + "/legacy_tables.legacy_mc_clust.jsonl")
        #expect(a.split(separator: "\n").count == 250)
        #expect(a == b)
        let log = String(decoding: try await c.send("GET", "/v1/tasks/\(slow.id)/log"), as: UTF8.self)
        #expect(log.contains("agent restarted"))
        try await c.shutdown()
        await agent.kill9()
        // The process logs never hold the token.
        #expect(!agent.output.contains(agent.token))
    }

    /// A dynamodb task killed (SIGKILL) while it loads, then resumed by the restarted agent, leaves
    /// the same table as a clean run: every expected item, nothing else, validated.
    @Test(.enabled(if: MotoServer.shouldRun, "needs moto_server and boto3"))
    func killNineMidDynamoDBTaskThenResumeEqualsACleanRun() async throws {
        try await MotoServer.with { moto in
            // A counters table of a few hundred live rows in 2 SSTables (1 WCU per item).
            let (data, expected, rows) = try await generateCounters(rows: 400, seed: 3)
            #expect(rows > 250)
            let agent = try await AgentProcess(dataDirectory: data.path, environment: motoVariables)
            var c = try await agent.start()
            let source = TaskSource(path: data.path + "/stats", schemaFile: data.path + "/schema.cql")
            func spec(_ name: String, maxWCU: Double?) -> TaskSpec {
                TaskSpec(name: name, source: source,
                         target: TaskTarget(kind: "dynamodb", s3: "s3://agent-kill/\(name)", mode: "batch", tablePrefix: name + "_",
                                            endpoint: moto.url, maxWCU: maxWCU, createBucket: true))
            }
            let clean: TaskRecord = try await c.post("/v1/tasks", json: spec("clean", maxWCU: nil))
            let _: TaskRecord = try await c.post("/v1/tasks/\(clean.id)/start", json: Optional<String>.none)
            let cleanDone = try await waitFor(120, { try await c.get("/v1/tasks/\(clean.id)", as: TaskRecord.self) }, until: { $0.status.isTerminal })
            #expect(cleanDone.status == .completed, "\(cleanDone.error ?? "")")

            // At 30 WCU/s: about 10 s of loading.
            let slow: TaskRecord = try await c.post("/v1/tasks", json: spec("killed", maxWCU: 30))
            let _: TaskRecord = try await c.post("/v1/tasks/\(slow.id)/start", json: Optional<String>.none)
            let loading = try await waitFor(120, { try await c.get("/v1/tasks/\(slow.id)", as: TaskRecord.self) }, until: { t in
                t.status.isTerminal || t.tables.contains { $0.table == "killed_page_views" && $0.status == "load" && $0.rows >= 50 }
            })
            #expect(loading.status == .running, "\(loading.error ?? "")")
            try await c.shutdown()
            await agent.kill9()
            let partial = String(decoding: try await moto.boto3("print(ddb.scan(TableName='killed_page_views', Select='COUNT')['Count'])"), as: UTF8.self)
            let loadedBeforeKill = Int(partial.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
            #expect(loadedBeforeKill > 0 && loadedBeforeKill < rows, "\(partial)")

            c = try await agent.start()
            let after: TaskRecord = try await c.get("/v1/tasks/\(slow.id)")
            #expect(after.status == .interrupted)
            let _: TaskRecord = try await c.post("/v1/tasks/\(slow.id)/resume", json: Optional<String>.none)
            let done = try await waitFor(120, { try await c.get("/v1/tasks/\(slow.id)", as: TaskRecord.self) }, until: { $0.status.isTerminal })
            #expect(done.status == .completed, "\(done.error ?? "")")
            #expect(done.report?.ok == true, "\(String(describing: done.report))")
            // The resumed run kept the extraction staged before the kill and went on from the load.
            let log = String(decoding: try await c.send("GET", "/v1/tasks/\(slow.id)/log"), as: UTF8.self)
            #expect(log.contains("agent restarted") && log.contains("skip: already staged"), "\(log)")
            try await c.shutdown()
            await agent.kill9()

            for table in ["clean_page_views", "killed_page_views"] {
                let check = try await moto.checkTable(table: table, keys: ["page", "day"], timestamps: [], expectedFile: expected)
                #expect(check == "OK \(rows)", "\(table): \(check)")
            }
            let same = try await moto.boto3("""
                def items(t):
                    out, kw = [], {"TableName": t}
                    while True:
                        page = ddb.scan(**kw)
                        out += page["Items"]
                        if "LastEvaluatedKey" not in page: return sorted(out, key=lambda i: json.dumps(i, sort_keys=True))
                        kw["ExclusiveStartKey"] = page["LastEvaluatedKey"]
                print(items("clean_page_views") == items("killed_page_views"))
                """)
            #expect(String(decoding: same, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "True")
        }
    }

    @Test func insecureHTTPOnlyOnLoopback() async throws {
        let binary = try TestPaths.binary()
        let dir = TempDir()
        _ = try await runProgram(binary, ["agent", "init", "--dir", dir.path])
        let served = try await runProgram(binary, ["agent", "serve", "--config", dir.path + "/agent-settings.yaml", "--insecure-http", "--host", "0.0.0.0", "--port", "0"])
        #expect(served.status != 0)
        #expect((served.text + served.stderr).contains("loopback"))
    }
}

/// The real `cass2dynamo agent` process: `agent init` once, then `agent serve` started and killed
/// at will on a free loopback port, with mutual TLS and the token.
final class AgentProcess: @unchecked Sendable {
    let binary: String
    let dir = TempDir()
    let environment: [String: String]
    private(set) var process: ChildProcess?
    private(set) var port = 0
    /// Everything every run of the agent printed.
    private(set) var previousOutput = ""

    init(dataDirectory: String = legacySSTables, environment: [String: String] = [:]) async throws {
        binary = try TestPaths.binary()
        self.environment = environment
        let initialized = try await runProgram(binary, ["agent", "init", "--dir", dir.path, "--generate-certs", "--hostname", "127.0.0.1",
                                                        "--data-dir", dataDirectory])
        #expect(initialized.status == 0, "\(initialized.text)\(initialized.stderr)")
    }

    var token: String { readFile(dir.path + "/token").trimmingCharacters(in: .whitespacesAndNewlines) }
    var output: String { previousOutput + (process?.output ?? "") }

    /// Starts `agent serve` and returns a client for it.
    func start() async throws -> AgentClient {
        if let process { previousOutput += process.output }
        let serve = ["agent", "serve", "--config", dir.path + "/agent-settings.yaml", "--port", "0", "--host", "127.0.0.1"]
        let process = try ChildProcess(binary, serve, environment: environment, separateStderr: false)
        self.process = process
        port = try await process.waitForNumber(after: "listening on ")
        return try AgentClient(endpoint: AgentEndpoint(name: "p", url: "https://127.0.0.1:\(port)", ca: dir.path + "/tls/ca.pem",
                                                       certificate: dir.path + "/tls/client.pem", privateKey: dir.path + "/tls/client-key.pem",
                                                       tokenFile: dir.path + "/token"))
    }

    func kill9() async { await process?.kill9() }
}
