import Agent
import AgentAPI
import AsyncHTTPClient
import DynamoModel
import Foundation
import Migration
import SSTable
import TestSupport
import Testing

@Suite("Agent over HTTPS with mutual TLS", .serialized)
struct AgentServiceTests {
    @Test func initWritesTheScriptingContractFiles() throws {
        let dir = TempDir()
        let result = try AgentInit.run(directory: dir.path, generateCerts: true, hostnames: ["localhost"], port: 8080, dataDirectories: [], force: false)
        for f in ["agent-settings.yaml", "token", "tls/ca.pem", "tls/server.pem", "tls/client.pem", "tls/server-key.pem", "tls/client-key.pem"] {
            #expect(FileManager.default.fileExists(atPath: dir.path + "/" + f), "\(f)")
        }
        #expect(result.written.count == 8)
        let mode = try FileManager.default.attributesOfItem(atPath: dir.path + "/token")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let loaded = try LoadedSettings.load(path: result.settingsPath)
        #expect(loaded.settings.port == 8080)
        // Nodes may be registered only once the operator lists their hosts; keys go in keys/.
        #expect(loaded.settings.nodes.allowedHosts.isEmpty && loaded.keyDirectories == [dir.path + "/keys"])
        #expect(try FileManager.default.attributesOfItem(atPath: dir.path + "/keys")[.posixPermissions] as? Int == 0o700)
        #expect(loaded.settings.nodes.snapshotCommand == "nodetool snapshot -t {tag}" && loaded.settings.aws.endpointURL == nil)
        #expect(loaded.settings.tls.clientCA == "tls/ca.pem")
        #expect(readFile(result.settingsPath).contains("# TLS"))
        #expect(throws: AgentError.self) {
            _ = try AgentInit.run(directory: dir.path, generateCerts: false, hostnames: [], port: 1, dataDirectories: [], force: false)
        }
    }

    @Test func healthNeedsTheTokenAndTheClientCertificate() async throws {
        let agent = try await RunningAgent()
        try await finally({ await agent.stop() }) { () async throws in
            let good = try agent.client()
            let health = try await good.health()
            #expect(health.status == .ok)
            let info = try await good.agentInfo()
            #expect(info.freeDiskBytes ?? 0 > 0)

            let wrongToken = "wrong-token-\(UUID().uuidString)"
            let bad = try agent.client(token: wrongToken)
            await expectStatus(401) { _ = try await bad.health() }
            let none = try agent.client(token: "")
            await expectStatus(401) { _ = try await none.tasks() }
            #expect(!agent.logs.text.contains(wrongToken))
            #expect(!agent.logs.text.contains(agent.token))
            #expect(agent.logs.text.contains("refused request"))

            // No client certificate: the TLS handshake fails, nothing is served.
            let noCert = try agent.client(cert: false)
            await #expect(throws: (any Error).self) { _ = try await noCert.health() }
            for c in [good, bad, none, noCert] { try await c.shutdown() }
        }
    }

    /// Every route of the API and the dashboard, over HTTPS with mutual TLS and the token; and a
    /// client whose certificate another CA issued is refused at the handshake.
    @Test(.enabled(if: sharedSSTablesPresent)) func everyEndpointOverMutualTLS() async throws {
        let (data, _, rows) = try await generateCounters(rows: 300, seed: 11)
        let agent = try await RunningAgent(dataDirectories: [legacySSTables, data.path]) { $0.nodes.allowedHosts = ["10.0.0.0/24"] }
        try await finally({ await agent.stop() }) { () async throws in
            let c = try agent.client()
            try await finally({ try await c.shutdown() }) { () async throws in
                /// A dashboard file (outside the API).
                func text(_ path: String) async throws -> String { String(decoding: try await c.send("GET", path), as: UTF8.self) }

                #expect(try await c.health().version == AgentVersion.current)

                // Nodes: add, import from CSV, list, get, remove.
                let key = try agent.keyFile()
                let added = try await c.addNodes([RemoteNode(name: "n1", host: "10.0.0.1", user: "c2d", identityFile: key,
                                                                                           dataDirectories: ["/var/lib/cassandra/data"])])
                #expect(added.map(\.name) == ["n1"])
                let csv = "name,host,port,user,identity_file,data_directories,cassandra_yaml\nn2,10.0.0.2,2222,c2d,\(key),/d1;/d2,\nn3,10.0.0.3,,c2d,\(key),,/etc/cassandra/cassandra.yaml\n"
                let imported = try await c.importNodes(csv: csv)
                #expect(imported.map(\.name) == ["n2", "n3"])
                #expect(try await c.nodes().map(\.name) == ["n1", "n2", "n3"])
                let n2 = try await c.node("n2")
                #expect(n2.port == 2222 && n2.dataDirectories == ["/d1", "/d2"])
                try await c.removeNode("n3")
                await expectStatus(404) { _ = try await c.node("n3") }
                await expectStatus(404) { try await c.removeNode("n3") }
                await expectStatus(400) { _ = try await c.importNodes(csv: "name,host\n") }
                let info = try await c.agentInfo()
                #expect(info.nodes == ["n1", "n2"] && info.freeDiskBytes ?? 0 > 0 && !info.hostname.isEmpty)

                // Tasks: per-table progress with rows, bytes, estimate, rate and ETA while it runs.
                let spec = TaskSpec(name: "slow", source: TaskSource(path: data.path + "/stats", schemaFile: data.path + "/schema.cql"), rowsPerSecond: 40)
                let task = try await c.createTask(spec)
                #expect(try await c.tasks().map(\.id) == [task.id])
                try await c.startTask(task.id)
                let running = try await waitFor(30, { try await c.task(task.id) }, until: {
                    ($0.tables.first?.rows ?? 0) >= 40 && $0.tables.first?.etaSeconds != nil
                })
                let table = try #require(running.tables.first)
                #expect(running.status == .running && table.status == .running)
                // The estimate is the SSTables' row count, rows overwritten in the other SSTable included.
                #expect((table.estimatedRows ?? 0) >= Int64(rows) && table.bytes > 0 && table.errors.isEmpty, "\(table)")
                #expect((table.rowsPerSecond ?? 0) > 20 && (table.rowsPerSecond ?? 0) < 500, "\(table)")
                #expect((table.etaSeconds ?? 0) > 0, "\(table)")
                #expect(running.stages.map(\.name.rawValue) == ["extract"])
                #expect(try await c.agentInfo().tasks.additionalProperties == ["running": 1])
                try await c.stopTask(task.id)
                var events: [String] = []
                try await c.events(task: task.id) { events.append($0.event); return $0.event != "end" }
                #expect(events.first == "progress" && events.last == "end", "\(events)")
                let stopped = try await c.task(task.id)
                #expect(stopped.status == .stopped)
                // No stage is left `running` once the run ended.
                #expect(stopped.stages.map(\.status) == [.stopped] && stopped.tables.map(\.status) == [.stopped], "\(stopped.stages)")
                // Stopped inside its only table: nothing staged yet, but the time TTLs are judged at is kept.
                let atStop = try Manifest.load(staging: stopped.stagingDirectory)
                #expect(atStop.tables.isEmpty && atStop.now != nil)
                // Resumed and stopped at once: it stops inside the table again (over 5 s at 40 rows/s), keeping that time.
                try await c.resumeTask(task.id)
                try await c.stopTask(task.id)
                let again = try await waitFor(30, { try await c.task(task.id) }, until: { $0.status == .stopped })
                let afterAgain = try Manifest.load(staging: again.stagingDirectory)
                #expect(again.status == .stopped && afterAgain.tables.isEmpty && afterAgain.now == atStop.now, "\(again.status)")
                let log = try await c.log(task: task.id)
                #expect(log.contains("started") && log.contains("resumed from checkpoint") && log.contains("stop requested"))
                let tail = try await c.log(task: task.id, offset: log.utf8.count)
                #expect(!tail.contains("started"))
                try await c.deleteTask(task.id, removeStaging: true)
                #expect(!FileManager.default.fileExists(atPath: stopped.stagingDirectory))
                await expectStatus(410) { _ = try await c.task(task.id) }

                // The dashboard: HTML, script and style from the binary, nothing from elsewhere.
                let page = try await text("/dashboard/")
                let script = try await text("/dashboard/app.js")
                let style = try await text("/dashboard/style.css")
                #expect(page.contains("<script src=\"/dashboard/app.js\">") && page.contains("/dashboard/style.css"))
                #expect(script.contains("/v1/tasks") && style.contains(".bar"))
                for asset in [page, script, style] { #expect(!asset.contains("http://") && !asset.contains("https://") && !asset.contains("//cdn")) }

                // A certificate from another CA: the handshake fails, nothing is served, the agent goes on.
                let other = TempDir()
                let certs = try GeneratedCertificates.generate(hostnames: ["127.0.0.1"])
                try certs.clientPEM.write(toFile: other.path + "/client.pem", atomically: true, encoding: .utf8)
                try certs.clientKeyPEM.write(toFile: other.path + "/client-key.pem", atomically: true, encoding: .utf8)
                let stranger = try AgentClient(endpoint: AgentEndpoint(name: "x", url: agent.url, ca: agent.dir.path + "/tls/ca.pem",
                                                                       certificate: other.path + "/client.pem", privateKey: other.path + "/client-key.pem",
                                                                       tokenFile: agent.dir.path + "/token"), token: agent.token)
                await #expect(throws: (any Error).self) { _ = try await stranger.health() }
                try await stranger.shutdown()
                #expect(try await c.health().status == .ok)
            }
        }
    }

    @Test(.enabled(if: sharedSSTablesPresent)) func badRequestsGetClearErrorsAndTheServiceKeepsRunning() async throws {
        let agent = try await RunningAgent { $0.nodes.allowedHosts = ["127.0.0.1"] }
        try await finally({ await agent.stop() }) { () async throws in
            let c = try agent.client()
            try await finally({ try await c.shutdown() }) { () async throws in
                var m = await expectStatus(400) { _ = try await c.send("POST", "/v1/tasks", body: Data("{not json".utf8)) }
                #expect(m.contains("malformed JSON"))
                m = await expectStatus(400) { _ = try await c.send("POST", "/v1/tasks", body: Data(#"{"target":{"kind":"staging"}}"#.utf8)) }
                #expect(m.contains("source"))
                // A body must come as JSON; Accept is not negotiated (each operation has one content type).
                m = await expectStatus(400) {
                    _ = try await c.send("POST", "/v1/tasks", body: Data(#"{"source":{"path":"/x"},"target":{"kind":"staging"}}"#.utf8), contentType: "text/plain")
                }
                #expect(m.contains("application/json"), "\(m)")
                let listed = try await c.send("GET", "/v1/tasks", headers: ["Accept": "text/html"])
                #expect(try JSONDecoder().decode([TaskRecord].self, from: listed).isEmpty)
                m = await expectStatus(400) { _ = try await c.send("GET", "/v1/tasks/t-nothere/log?offset=abc") }
                #expect(m.contains("offset") && m.contains("number"), "\(m)")
                m = await expectStatus(404) { _ = try await c.task("t-nothere") }
                #expect(m.contains("no task"))
                m = await expectStatus(403) {
                    let spec = TaskSpec(source: TaskSource(path: "/etc"))
                    _ = try await c.createTask(spec)
                }
                #expect(m.contains("outside the agent's data directories"))
                // Outside the data directories, a missing path is refused like an existing one: the API
                // does not tell which paths exist on the host.
                for probe in ["/etc/no-such-file-c2d", legacySSTables + "/../../../../etc/no-such-file-c2d"] {
                    m = await expectStatus(403) { _ = try await c.createTask(TaskSpec(source: TaskSource(path: probe))) }
                    #expect(m.contains("outside the agent's data directories"))
                }
                m = await expectStatus(400) {
                    _ = try await c.createTask(TaskSpec(source: TaskSource(path: legacySSTables + "/no-such")))
                }
                #expect(m.contains("does not exist"))
                await expectStatus(400) {
                    _ = try await c.createTask(TaskSpec(source: TaskSource(nodes: ["ghost"])))
                }

                // Starting a deleted task.
                let task = try await c.createTask(TaskSpec(source: TaskSource(path: legacySSTables + "/mc/legacy_tables/legacy_mc_simple")))
                try await c.deleteTask(task.id)
                m = await expectStatus(410) { try await c.startTask(task.id) }
                #expect(m.contains("deleted"))

                // A node that does not answer (nothing listens on port 1).
                let key = try agent.keyFile()
                let node = RemoteNode(name: "down", host: "127.0.0.1", port: 1, user: "nobody", identityFile: key, dataDirectories: ["/var/lib/cassandra/data"])
                try await c.addNode(node)
                m = await expectStatus(422) { _ = try await c.testNode("down") }
                #expect(m.contains("did not answer"))
                await expectStatus(400) { _ = try await c.send("POST", "/v1/nodes", body: Data(#"{"name":"x y","host":"h","user":"u","identityFile":"/nope"}"#.utf8)) }

                #expect(try await c.health().status == .ok)
            }
        }
    }

    /// Staging tasks over the two halves of the token ring stage disjoint rows that together are
    /// the whole table, in ring order.
    @Test func tokenRangeSharesStageTheWholeTableBetweenThem() async throws {
        let (data, expected, rows) = try await generateCounters(rows: 600, seed: 8)
        let agent = try await RunningAgent(dataDirectories: [data.path])
        try await finally({ await agent.stop() }) { () async throws in
            let c = try agent.client()
            try await finally({ try await c.shutdown() }) { () async throws in
                func run(_ range: TokenRange?) async throws -> [DynamoItem] {
                    let spec = TaskSpec(source: TaskSource(path: data.path + "/stats", schemaFile: data.path + "/schema.cql", tokenRange: range))
                    let task = try await c.createTask(spec)
                    try await c.startTask(task.id)
                    let done = try await waitFor(60, { try await c.task(task.id) }, until: { $0.status.isTerminal })
                    #expect(done.status == .completed && done.report?.map(\.isMatch) == [true], "\(done.error ?? "")")
                    let items = try stagedItems(done.stagingDirectory)["page_views"] ?? []
                    #expect(done.report?.first?.targetItems == items.count)
                    return items
                }
                let whole = try await run(nil)
                #expect(try differences(whole, expectedFile: expected, keys: ["page", "day"]) == [])
                let halves = [try await run(TokenRange.split(2)[0]), try await run(TokenRange.split(2)[1])]
                #expect(whole.count == rows && halves.allSatisfy { !$0.isEmpty })
                #expect(halves[0] + halves[1] == whole)
                await expectStatus(400) {
                    _ = try await c.createTask(TaskSpec(source: TaskSource(path: data.path, tokenRange: TokenRange(start: 9, end: 9))))
                }
            }
        }
    }

    @Test(.enabled(if: sharedSSTablesPresent)) func taskRunsToCompletionWithEventsLogAndReport() async throws {
        let (data, expected, rows) = try await countersAndSimple(rows: 300, seed: 12)
        let agent = try await RunningAgent(dataDirectories: [data.path])
        try await finally({ await agent.stop() }) { () async throws in
            let c = try agent.client()
            try await finally({ try await c.shutdown() }) { () async throws in
                let spec = TaskSpec(name: "two", source: TaskSource(path: data.path, schemaFile: data.path + "/schema.cql"), rowsPerSecond: 300)
                let task = try await c.createTask(spec)
                #expect(task.status == .created)
                let started = try await c.startTask(task.id)
                #expect(started.status == .running)
                await expectStatus(409) { try await c.startTask(task.id) }
                await expectStatus(409) { try await c.deleteTask(task.id) }

                var progressEvents = 0
                var rowsSeen = Set<Int64>()
                var last: TaskRecord?
                try await c.events(task: task.id) { event in
                    if event.event == "progress" || event.event == "end" {
                        let r = try JSONDecoder().decode(TaskRecord.self, from: Data(event.data.utf8))
                        progressEvents += 1
                        rowsSeen.insert(r.tables.reduce(0) { $0 + $1.rows })
                        last = r
                    }
                    return event.event != "end"
                }
                #expect(progressEvents > 3)
                #expect(rowsSeen.count > 2, "progress moved: \(rowsSeen.sorted())")
                let done = try #require(last)
                #expect(done.status == .completed, "\(done.error ?? "")")
                // The CQL tables (rows read), then the DynamoDB tables (items read back from the parts).
                #expect(done.tables.map(\.qualifiedName) == ["legacy_tables.legacy_mc_simple", "stats.page_views", "legacy_mc_simple", "page_views"])
                #expect(done.tables.map(\.rows) == [5, Int64(rows), 5, Int64(rows)] && done.tables.allSatisfy { $0.status == .done }, "\(done.tables)")
                #expect(done.report?.map(\.table) == ["legacy_mc_simple", "page_views"] && done.report?.allSatisfy(\.isMatch) == true)
                #expect(done.report?.map(\.targetItems) == [5, rows])
                #expect(done.stages.map(\.name.rawValue) == ["extract", "validate"])
                let staged = try stagedItems(done.stagingDirectory)
                #expect(try differences(staged["legacy_mc_simple"] ?? [], expectedFile: legacySSTables + "/expected/mc/legacy_mc_simple.jsonl", keys: ["pk"]) == [])
                #expect(try differences(staged["page_views"] ?? [], expectedFile: expected, keys: ["page", "day"]) == [])
                let log = try await c.log(task: task.id)
                #expect(log.contains("started") && log.contains("completed"), "\(log)")

                try await c.deleteTask(task.id, removeStaging: true)
                #expect(!FileManager.default.fileExists(atPath: done.stagingDirectory))
                let list = try await c.tasks()
                #expect(list.isEmpty)
            }
        }
    }

    /// A task stopped inside a table resumes with the tables it staged whole skipped and the
    /// table it was in staged again from its start, at the time its first run chose: its parts
    /// are those of a run that never stopped. Needs two tables read at once (two cores).
    @Test(.enabled(if: sharedSSTablesPresent), .enabled(if: ProcessInfo.processInfo.activeProcessorCount >= 2, "needs two cores (tables read in parallel)"))
    func stopInsideATableThenResumeEqualsACleanRun() async throws {
        let (data, expected, rows) = try await countersAndSimple(rows: 300, seed: 13)
        let agent = try await RunningAgent(dataDirectories: [data.path])
        try await finally({ await agent.stop() }) { () async throws in
            let c = try agent.client()
            try await finally({ try await c.shutdown() }) { () async throws in
                let source = TaskSource(path: data.path, schemaFile: data.path + "/schema.cql")
                let clean = try await c.createTask(TaskSpec(source: source))
                try await c.startTask(clean.id)
                let cleanDone = try await waitFor(30, { try await c.task(clean.id) }, until: { $0.status.isTerminal })
                #expect(cleanDone.status == .completed, "\(cleanDone.error ?? "")")

                let slow = try await c.createTask(TaskSpec(source: source, rowsPerSecond: 100))
                try await c.startTask(slow.id)
                func extracted(_ r: TaskRecord, _ table: String) -> TableProgress? { r.tables.first { $0.phase == .extract && $0.table == table } }
                _ = try await waitFor(30, { try await c.task(slow.id) }, until: {
                    extracted($0, "legacy_mc_simple")?.status == .done && (extracted($0, "page_views")?.rows ?? 0) > 60
                })
                try await c.stopTask(slow.id)
                let stopped = try await waitFor(30, { try await c.task(slow.id) }, until: { $0.status == .stopped })
                #expect(stopped.status == .stopped)
                let atStop = extracted(stopped, "page_views")?.rows ?? 0
                #expect(atStop > 0 && atStop < rows)
                await expectStatus(409) { try await c.stopTask(slow.id) }
                // Staged so far: the small table whole, with the time its first run chose.
                let left = try Manifest.load(staging: stopped.stagingDirectory)
                #expect(left.tables.map(\.source) == ["legacy_tables.legacy_mc_simple"] && left.now != nil)

                try await c.resumeTask(slow.id)
                let resumed = try await waitFor(30, { try await c.task(slow.id) }, until: { $0.status.isTerminal })
                #expect(resumed.status == .completed, "\(resumed.error ?? "")")
                #expect(resumed.report?.allSatisfy(\.isMatch) == true && resumed.report?.map(\.targetItems) == [5, rows])
                let final = try Manifest.load(staging: resumed.stagingDirectory)
                #expect(final.now == left.now)
                // The small table was skipped, not staged again: its manifest entry is the stopped run's.
                #expect(final.tables.first { $0.source == "legacy_tables.legacy_mc_simple" } == left.tables.first)
                #expect(extracted(resumed, "legacy_mc_simple")?.status == .skipped)
                let log = try await c.log(task: slow.id)
                #expect(log.contains("legacy_tables.legacy_mc_simple: skip: already staged"), "\(log)")
                // The same parts, byte for byte, as the run that never stopped; and the expected rows.
                #expect(try stagedParts(resumed.stagingDirectory) == stagedParts(cleanDone.stagingDirectory))
                let staged = try stagedItems(resumed.stagingDirectory)
                #expect(try differences(staged["page_views"] ?? [], expectedFile: expected, keys: ["page", "day"]) == [])
            }
        }
    }
}
