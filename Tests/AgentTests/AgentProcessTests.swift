import AWS
import Agent
import Migration
import Foundation
import TestSupport
import Testing

/// The real binary: `agent init`, `agent serve`, and a task that survives `kill -9`.
@Suite("Agent process", .serialized, .enabled(if: sharedSSTablesPresent))
struct AgentProcessTests {
    @Test func killNineMidTaskThenResumeEqualsACleanRun() async throws {
        let (data, expected, rows) = try await generateCounters(rows: 300, seed: 14)
        let agent = try await AgentProcess(dataDirectory: data.path)
        for f in ["agent-settings.yaml", "token", "tls/ca.pem", "tls/server.pem", "tls/client.pem", "tls/server-key.pem", "tls/client-key.pem"] {
            #expect(FileManager.default.fileExists(atPath: "\(agent.dir.path)/\(f)"))
        }
        var c = try await agent.start()
        // A failed check must not leave the client alive: its deinit would stop the whole test run.
        do {
            let source = TaskSource(path: data.path + "/stats", schemaFile: data.path + "/schema.cql")
            let clean = try await c.createTask(TaskSpec(name: "clean", source: source))
            try await c.startTask(clean.id)
            let cleanDone = try await waitFor(30, { try await c.task(clean.id) }, until: { $0.status == .completed })
            #expect(cleanDone.status == .completed)

            let slow = try await c.createTask(TaskSpec(name: "slow", source: source, rowsPerSecond: 40))
            try await c.startTask(slow.id)
            _ = try await waitFor(30, { try await c.task(slow.id) }, until: { ($0.tables.first?.rows ?? 0) >= 40 })
            try await c.shutdown()
            await agent.kill9()

            c = try await agent.start()
            let list = try await c.tasks()
            #expect(list.map(\.name) == ["clean", "slow"])
            let after = try #require(list.last)
            #expect(after.status == .interrupted)
            #expect(after.stages.map(\.status) == [.interrupted], "\(after.stages)")
            // Killed inside the table: nothing staged, the time TTLs are judged at kept for the resume.
            let left = try Manifest.load(staging: after.stagingDirectory)
            #expect(left.tables.isEmpty && left.now != nil)
            try await c.resumeTask(slow.id)
            let done = try await waitFor(30, { try await c.task(slow.id) }, until: { $0.status.isTerminal })
            #expect(done.status == .completed, "\(done.error ?? "")")
            #expect(done.report?.map(\.isMatch) == [true] && done.report?.first?.targetItems == rows)
            #expect(try Manifest.load(staging: done.stagingDirectory).now == left.now)
            #expect(try stagedParts(done.stagingDirectory) == stagedParts(cleanDone.stagingDirectory))
            let staged = try stagedItems(done.stagingDirectory)["page_views"] ?? []
            #expect(try differences(staged, expectedFile: expected, keys: ["page", "day"]) == [])
            let log = try await c.log(task: slow.id)
            #expect(log.contains("agent restarted"))
            // A deleted task stays gone (410, not 404) across a restart.
            try await c.deleteTask(clean.id)
            try await c.shutdown()
            await agent.kill9()
            c = try await agent.start()
            #expect(try await c.tasks().map(\.name) == ["slow"])
            let gone = await expectStatus(410) { _ = try await c.task(clean.id) }
            #expect(gone.contains("deleted"), "\(gone)")
            try await c.shutdown()
            await agent.kill9()
            // The process logs never hold the token.
            #expect(!agent.output.contains(agent.token))
        } catch {
            try? await c.shutdown()
            throw error
        }
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
            // The endpoint is the operator's choice, in the settings file.
            let settings = agent.dir.path + "/agent-settings.yaml"
            try readFile(settings).replacingOccurrences(of: "endpoint_url: null", with: "endpoint_url: \"\(moto.url)\"")
                .write(toFile: settings, atomically: true, encoding: .utf8)
            var c = try await agent.start()
            do {
                let source = TaskSource(path: data.path + "/stats", schemaFile: data.path + "/schema.cql")
                func spec(_ name: String, maxWCU: Double?) -> TaskSpec {
                    TaskSpec(name: name, source: source,
                             target: TaskTarget(kind: .dynamodb, s3: "s3://agent-kill/\(name)", mode: .batch, tablePrefix: name + "_",
                                                maxWCU: maxWCU, createBucket: true))
                }
                let clean = try await c.createTask(spec("clean", maxWCU: nil))
                try await c.startTask(clean.id)
                let cleanDone = try await waitFor(120, { try await c.task(clean.id) }, until: { $0.status.isTerminal })
                #expect(cleanDone.status == .completed, "\(cleanDone.error ?? "")")

                // At 30 WCU/s: about 10 s of loading.
                let slow = try await c.createTask(spec("killed", maxWCU: 30))
                try await c.startTask(slow.id)
                let loading = try await waitFor(120, { try await c.task(slow.id) }, until: { t in
                    t.status.isTerminal || t.tables.contains { $0.table == "killed_page_views" && $0.phase == .load && $0.status == .running && $0.rows >= 50 }
                })
                #expect(loading.status == .running, "\(loading.error ?? "")")
                try await c.shutdown()
                await agent.kill9()
                let partial = String(decoding: try await moto.boto3("print(ddb.scan(TableName='killed_page_views', Select='COUNT')['Count'])"), as: UTF8.self)
                let loadedBeforeKill = Int(partial.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
                #expect(loadedBeforeKill > 0 && loadedBeforeKill < rows, "\(partial)")

                c = try await agent.start()
                let after = try await c.task(slow.id)
                #expect(after.status == .interrupted)
                try await c.resumeTask(slow.id)
                let done = try await waitFor(120, { try await c.task(slow.id) }, until: { $0.status.isTerminal })
                #expect(done.status == .completed, "\(done.error ?? "")")
                #expect(done.report?.map(\.isMatch) == [true], "\(String(describing: done.report))")
                // The resumed run kept the extraction staged before the kill and went on from the load.
                let log = try await c.log(task: slow.id)
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
            } catch {
                try? await c.shutdown()
                throw error
            }
        }
    }

    /// The controller side of the CLI against a real agent process: `agents register|list|unregister`
    /// (tokens in 0600 files, never printed), `tasks create|watch|stop|start|list|delete`, and a
    /// task split across two registered agents.
    @Test func controllerCLIRegistersAgentsAndRunsTasks() async throws {
        let (data, _, rows) = try await countersAndSimple(rows: 300, seed: 15)
        let agent = try await AgentProcess(dataDirectory: data.path)
        let probe = try await agent.start()
        try await probe.shutdown()
        let config = TempDir()
        let env = ["CASS2DYNAMO_CONFIG_DIR": config.path]
        func cli(_ args: [String]) async throws -> ProgramResult { try await runProgram(agent.binary, args, environment: env) }
        let url = "https://127.0.0.1:\(agent.port)"
        let tls = ["--ca", agent.dir.path + "/tls/ca.pem", "--cert", agent.dir.path + "/tls/client.pem", "--key", agent.dir.path + "/tls/client-key.pem"]

        // A wrong token: refused by the agent, registered nowhere, printed nowhere.
        let wrongToken = "wrong-\(UUID().uuidString)"
        let refused = try await cli(["agents", "register", "bad", url, "--token", wrongToken] + tls)
        #expect(refused.status != 0 && refused.stderr.contains("401"), "\(refused.stderr)")
        #expect(!(refused.text + refused.stderr).contains(wrongToken))
        #expect(!FileManager.default.fileExists(atPath: config.path + "/tokens/bad") && !FileManager.default.fileExists(atPath: config.path + "/agents.json"))
        for name in ["a1", "a2"] {
            let r = try await cli(["agents", "register", name, url, "--token-file", agent.dir.path + "/token"] + tls)
            #expect(r.status == 0 && r.text.contains("agent \(name) answers: version \(AgentVersion.current)") && r.text.contains("registered \(name)"),
                    "\(r.text)\(r.stderr)")
        }
        // Registering a1 again with a wrong token fails and keeps a1's good token.
        let again = try await cli(["agents", "register", "a1", url, "--token", wrongToken] + tls)
        #expect(again.status != 0 && !(again.text + again.stderr).contains(wrongToken))
        let listed = try await cli(["agents", "list"])
        #expect(listed.text.split(separator: "\n").map { $0.split(separator: "\t").first ?? "" } == ["a1", "a2"], "\(listed.text)")
        let stored = readFile(config.path + "/agents.json")
        #expect(stored.contains(url) && !stored.contains(agent.token))
        #expect(readFile(config.path + "/tokens/a1").trimmingCharacters(in: .whitespacesAndNewlines) == agent.token)
        for f in ["agents.json", "tokens/a1"] {
            #expect(try FileManager.default.attributesOfItem(atPath: config.path + "/" + f)[.posixPermissions] as? Int == 0o600, "\(f)")
        }

        // Create and start a slow task, watch it, stop it, start it again, watch it finish.
        let created = try await cli(["tasks", "create", "--agent", "a1", "--name", "cli run", "--path", data.path + "/stats", "--schema", data.path + "/schema.cql",
                                     "--rows-per-second", "50", "--start"])
        let lines = created.text.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(created.status == 0 && lines.count == 2 && lines.last?.last == "running", "\(created.text)\(created.stderr)")
        let id = try #require(lines.first?[1])
        let watcher = try await ChildProcess(agent.binary, ["tasks", "watch", "--agent", "a1", id], environment: env)
        let c = try AgentClient(endpoint: AgentEndpoint(name: "p", url: url, ca: agent.dir.path + "/tls/ca.pem", certificate: agent.dir.path + "/tls/client.pem",
                                                        privateKey: agent.dir.path + "/tls/client-key.pem", tokenFile: agent.dir.path + "/token"))
        _ = try await waitFor(30, { try await c.task(id) }, until: { ($0.tables.first?.rows ?? 0) >= 30 })
        let stop = try await cli(["tasks", "stop", "--agent", "a1", id])
        #expect(stop.status == 0 && stop.text == "\(id)\tstopping\n", "\(stop.text)\(stop.stderr)")
        #expect(await watcher.wait() == 0, "\(watcher.output)\(watcher.errorOutput)")
        let watched = watcher.output
        #expect(watched.contains("cli run [\(id)] running") && watched.contains("cli run [\(id)] stopping"), "\(watched)")
        #expect(watched.components(separatedBy: "cli run [\(id)] stopped").count == 2, "one block per status: \(watched)")
        #expect(watched.contains("stats.page_views") && watched.contains("█") && watched.contains("log: stop requested"), "\(watched)")
        let restarted = try await cli(["tasks", "start", "--agent", "a1", id])
        #expect(restarted.text == "\(id)\trunning\n", "\(restarted.text)\(restarted.stderr)")
        let finished = try await cli(["tasks", "watch", "--agent", "a1", id])
        #expect(finished.status == 0 && finished.text.contains("completed") && finished.text.contains("100%") && finished.text.contains("validation: OK"),
                "\(finished.text)\(finished.stderr)")
        let list = try await cli(["tasks", "list", "--agent", "a1"])
        #expect(list.text == "\(id)\tcompleted\t\(rows) rows\tcli run\n", "\(list.text)")
        let log = try await cli(["tasks", "log", "--agent", "a1", id])
        #expect(log.text.contains("resumed from checkpoint"))

        // Two agents: the two tables are dealt one to each.
        let split = try await cli(["tasks", "create", "--agent", "a1", "--agent", "a2", "--name", "split", "--path", data.path,
                                   "--table", "legacy_mc_simple", "--table", "page_views"])
        let made = split.text.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(made.map { $0.first ?? "" } == ["a1", "a2"] && made.allSatisfy { $0.last == "created" }, "\(split.text)\(split.stderr)")
        let tasks = try await c.tasks().filter { $0.name.hasPrefix("split") }
        #expect(tasks.map { $0.spec.source.tables ?? [] } == [["legacy_mc_simple"], ["page_views"]])

        // Delete (staging too), then unregister.
        let deleted = try await cli(["tasks", "delete", "--agent", "a1", id, "--remove-staging"])
        #expect(deleted.text == "\(id)\tdeleted\n", "\(deleted.text)\(deleted.stderr)")
        #expect(try await cli(["tasks", "list", "--agent", "a1"]).text.split(separator: "\n").count == 2)
        let gone = try await cli(["tasks", "start", "--agent", "a1", id])
        #expect(gone.status != 0 && gone.stderr.contains("410") && gone.stderr.contains("deleted"), "\(gone.stderr)")
        #expect(try await cli(["agents", "unregister", "a2"]).status == 0)
        #expect(try await cli(["agents", "list"]).text.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: config.path + "/tokens/a2"))
        try await c.shutdown()
        await agent.kill9()
        #expect(!agent.output.contains(wrongToken) && !agent.output.contains(agent.token))
        #expect(agent.output.contains("refused request"))
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
        let process = try await ChildProcess(binary, serve, environment: environment, separateStderr: false)
        self.process = process
        port = try await process.waitForNumber(after: "listening on ")
        return try AgentClient(endpoint: AgentEndpoint(name: "p", url: "https://127.0.0.1:\(port)", ca: dir.path + "/tls/ca.pem",
                                                       certificate: dir.path + "/tls/client.pem", privateKey: dir.path + "/tls/client-key.pem",
                                                       tokenFile: dir.path + "/token"))
    }

    func kill9() async { await process?.kill9() }
}
