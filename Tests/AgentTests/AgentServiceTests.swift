import Agent
import AsyncHTTPClient
import Foundation
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
            struct Health: Decodable { var status: String; var version: String }
            let health: Health = try await good.get("/v1/health")
            #expect(health.status == "ok")
            struct Info: Decodable { var version: String; var freeDiskBytes: Int64?; var nodes: [String] }
            let info: Info = try await good.get("/v1/agent")
            #expect(info.freeDiskBytes ?? 0 > 0)

            let wrongToken = "wrong-token-\(UUID().uuidString)"
            let bad = try agent.client(token: wrongToken)
            await expectStatus(401) { _ = try await bad.send("GET", "/v1/health") }
            let none = try agent.client(token: "")
            await expectStatus(401) { _ = try await none.send("GET", "/v1/tasks") }
            #expect(!agent.logs.text.contains(wrongToken))
            #expect(!agent.logs.text.contains(agent.token))
            #expect(agent.logs.text.contains("refused request"))

            // No client certificate: the TLS handshake fails, nothing is served.
            let noCert = try agent.client(cert: false)
            await #expect(throws: (any Error).self) { _ = try await noCert.send("GET", "/v1/health") }
            for c in [good, bad, none, noCert] { try await c.shutdown() }
        }
    }

    /// Every route of the API and the dashboard, over HTTPS with mutual TLS and the token; and a
    /// client whose certificate another CA issued is refused at the handshake.
    @Test(.enabled(if: sharedSSTablesPresent)) func everyEndpointOverMutualTLS() async throws {
        let agent = try await RunningAgent { $0.nodes.allowedHosts = ["10.0.0.0/24"] }
        try await finally({ await agent.stop() }) { () async throws in
            let c = try agent.client()
            try await finally({ try await c.shutdown() }) { () async throws in
                func text(_ method: String, _ path: String, body: Data? = nil, contentType: String = "application/json") async throws -> String {
                    String(decoding: try await c.send(method, path, body: body, contentType: contentType), as: UTF8.self)
                }

                struct Health: Decodable { var status: String; var version: String }
                #expect(try await c.get("/v1/health", as: Health.self).version == AgentVersion.current)
                struct Info: Decodable { var version: String; var hostname: String; var freeDiskBytes: Int64?; var nodes: [String]; var tasks: [String: Int] }

                // Nodes: add, import from CSV, list, get, remove.
                let key = try agent.keyFile()
                let added: [RemoteNode] = try await c.post("/v1/nodes", json: RemoteNode(name: "n1", host: "10.0.0.1", user: "c2d", identityFile: key,
                                                                                           dataDirectories: ["/var/lib/cassandra/data"]))
                #expect(added.map(\.name) == ["n1"])
                let csv = "name,host,port,user,identity_file,data_directories,cassandra_yaml\nn2,10.0.0.2,2222,c2d,\(key),/d1;/d2,\nn3,10.0.0.3,,c2d,\(key),,/etc/cassandra/cassandra.yaml\n"
                let imported = try JSONDecoder().decode([RemoteNode].self, from: try await c.send("POST", "/v1/nodes/import", body: Data(csv.utf8), contentType: "text/csv"))
                #expect(imported.map(\.name) == ["n2", "n3"])
                #expect(try await c.get("/v1/nodes", as: [RemoteNode].self).map(\.name) == ["n1", "n2", "n3"])
                let n2: RemoteNode = try await c.get("/v1/nodes/n2")
                #expect(n2.port == 2222 && n2.dataDirectories == ["/d1", "/d2"])
                _ = try await c.send("DELETE", "/v1/nodes/n3")
                await expectStatus(404) { _ = try await c.send("GET", "/v1/nodes/n3") }
                await expectStatus(404) { _ = try await c.send("DELETE", "/v1/nodes/n3") }
                await expectStatus(400) { _ = try await c.send("POST", "/v1/nodes/import", body: Data("name,host\n".utf8), contentType: "text/csv") }
                let info: Info = try await c.get("/v1/agent")
                #expect(info.nodes == ["n1", "n2"] && info.freeDiskBytes ?? 0 > 0 && !info.hostname.isEmpty)

                // Tasks: per-table progress with rows, bytes, estimate, rate and ETA while it runs.
                let spec = TaskSpec(name: "slow", source: TaskSource(path: legacySSTables + "/mc/legacy_tables/legacy_mc_clust"), rowsPerSecond: 100)
                let task: TaskRecord = try await c.post("/v1/tasks", json: spec)
                #expect(try await c.get("/v1/tasks", as: [TaskRecord].self).map(\.id) == [task.id])
                let _: TaskRecord = try await c.post("/v1/tasks/\(task.id)/start", json: Optional<String>.none)
                let running = try await waitFor(30, { try await c.get("/v1/tasks/\(task.id)", as: TaskRecord.self) }, until: {
                    ($0.tables.first?.rows ?? 0) >= 40 && $0.tables.first?.etaSeconds != nil
                })
                let table = try #require(running.tables.first)
                #expect(running.status == .running && table.status == .running)
                #expect(table.estimatedRows == 250 && table.bytes > 0 && table.errors.isEmpty)
                #expect((table.rowsPerSecond ?? 0) > 20 && (table.rowsPerSecond ?? 0) < 500, "\(table)")
                #expect((table.etaSeconds ?? 0) > 0, "\(table)")
                #expect(running.stages.map(\.name.rawValue) == ["extract"] && running.checkpoint != nil)
                #expect(try await c.get("/v1/agent", as: Info.self).tasks == ["running": 1])
                let _: TaskRecord = try await c.post("/v1/tasks/\(task.id)/stop", json: Optional<String>.none)
                var events: [String] = []
                try await c.events(task: task.id) { events.append($0.event); return $0.event != "end" }
                #expect(events.first == "progress" && events.last == "end", "\(events)")
                let stopped: TaskRecord = try await c.get("/v1/tasks/\(task.id)")
                #expect(stopped.status == .stopped)
                // No stage is left `running` once the run ended.
                #expect(stopped.stages.map(\.status) == [.stopped] && stopped.tables.map(\.status) == [.stopped], "\(stopped.stages)")
                // Resumed and stopped at once: it stops at the next row it reads after the request, not at
                // the next checkpoint (every 0.5 s: 50 rows at 100 rows/s); under 40 rows leaves 0.4 s for
                // the request to arrive on a loaded CI machine (21 rows seen once).
                let _: TaskRecord = try await c.post("/v1/tasks/\(task.id)/resume", json: Optional<String>.none)
                let _: TaskRecord = try await c.post("/v1/tasks/\(task.id)/stop", json: Optional<String>.none)
                let again = try await waitFor(30, { try await c.get("/v1/tasks/\(task.id)", as: TaskRecord.self) }, until: { $0.status == .stopped })
                let (first, second) = (stopped.tables.first?.rows ?? 0, again.tables.first?.rows ?? 0)
                #expect(again.status == .stopped && second >= first && second - first < 40, "stopped at \(first), then at \(second)")
                let log = try await text("GET", "/v1/tasks/\(task.id)/log")
                #expect(log.contains("started") && log.contains("resumed from checkpoint") && log.contains("stop requested"))
                let tail = try await text("GET", "/v1/tasks/\(task.id)/log?offset=\(log.utf8.count)")
                #expect(!tail.contains("started"))
                _ = try await c.send("DELETE", "/v1/tasks/\(task.id)?removeStaging=true")
                #expect(!FileManager.default.fileExists(atPath: stopped.stagingDirectory))
                await expectStatus(410) { _ = try await c.send("GET", "/v1/tasks/\(task.id)") }

                // The dashboard: HTML, script and style from the binary, nothing from elsewhere.
                let page = try await text("GET", "/dashboard/")
                let script = try await text("GET", "/dashboard/app.js")
                let style = try await text("GET", "/dashboard/style.css")
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
                await #expect(throws: (any Error).self) { _ = try await stranger.send("GET", "/v1/health") }
                try await stranger.shutdown()
                #expect(try await c.get("/v1/health", as: Health.self).status == "ok")
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
                m = await expectStatus(404) { _ = try await c.send("GET", "/v1/tasks/t-nothere") }
                #expect(m.contains("no task"))
                m = await expectStatus(403) {
                    let spec = TaskSpec(source: TaskSource(path: "/etc"))
                    let _: TaskRecord = try await c.post("/v1/tasks", json: spec)
                }
                #expect(m.contains("outside the agent's data directories"))
                // Outside the data directories, a missing path is refused like an existing one: the API
                // does not tell which paths exist on the host.
                for probe in ["/etc/no-such-file-c2d", legacySSTables + "/../../../../etc/no-such-file-c2d"] {
                    m = await expectStatus(403) { let _: TaskRecord = try await c.post("/v1/tasks", json: TaskSpec(source: TaskSource(path: probe))) }
                    #expect(m.contains("outside the agent's data directories"))
                }
                m = await expectStatus(400) {
                    let _: TaskRecord = try await c.post("/v1/tasks", json: TaskSpec(source: TaskSource(path: legacySSTables + "/no-such")))
                }
                #expect(m.contains("does not exist"))
                await expectStatus(400) {
                    let _: TaskRecord = try await c.post("/v1/tasks", json: TaskSpec(source: TaskSource(nodes: ["ghost"])))
                }

                // Starting a deleted task.
                let task: TaskRecord = try await c.post("/v1/tasks", json: TaskSpec(source: TaskSource(path: legacySSTables + "/mc/legacy_tables/legacy_mc_simple")))
                _ = try await c.send("DELETE", "/v1/tasks/\(task.id)")
                m = await expectStatus(410) { let _: TaskRecord = try await c.post("/v1/tasks/\(task.id)/start", json: Optional<String>.none) }
                #expect(m.contains("deleted"))

                // A node that does not answer (nothing listens on port 1).
                let key = try agent.keyFile()
                let node = RemoteNode(name: "down", host: "127.0.0.1", port: 1, user: "nobody", identityFile: key, dataDirectories: ["/var/lib/cassandra/data"])
                let _: [RemoteNode] = try await c.post("/v1/nodes", json: node)
                m = await expectStatus(422) { _ = try await c.send("POST", "/v1/nodes/down/test") }
                #expect(m.contains("did not answer"))
                await expectStatus(400) { _ = try await c.send("POST", "/v1/nodes", body: Data(#"{"name":"x y","host":"h","user":"u","identityFile":"/nope"}"#.utf8)) }

                struct Health: Decodable { var status: String }
                let h: Health = try await c.get("/v1/health")
                #expect(h.status == "ok")
            }
        }
    }

    /// Staging tasks over the two halves of the token ring stage disjoint rows that together are
    /// the whole table, in ring order.
    @Test func tokenRangeSharesStageTheWholeTableBetweenThem() async throws {
        let (data, _, rows) = try await generateCounters(rows: 600, seed: 8)
        let agent = try await RunningAgent(dataDirectories: [data.path])
        try await finally({ await agent.stop() }) { () async throws in
            let c = try agent.client()
            try await finally({ try await c.shutdown() }) { () async throws in
                func run(_ range: TokenRange?) async throws -> [Substring] {
                    let spec = TaskSpec(source: TaskSource(path: data.path + "/stats", schemaFile: data.path + "/schema.cql", tokenRange: range))
                    let task: TaskRecord = try await c.post("/v1/tasks", json: spec)
                    let _: TaskRecord = try await c.post("/v1/tasks/\(task.id)/start", json: Optional<String>.none)
                    let done = try await waitFor(60, { try await c.get("/v1/tasks/\(task.id)", as: TaskRecord.self) }, until: { $0.status.isTerminal })
                    #expect(done.status == .completed && done.report?.ok == true, "\(done.error ?? "")")
                    return readFile(done.stagingDirectory + "/stats.page_views.jsonl").split(separator: "\n")
                }
                let whole = try await run(nil)
                let halves = [try await run(TokenRange.split(2)[0]), try await run(TokenRange.split(2)[1])]
                #expect(whole.count == rows && halves.allSatisfy { !$0.isEmpty })
                #expect(halves[0] + halves[1] == whole)
                await expectStatus(400) {
                    let _: TaskRecord = try await c.post("/v1/tasks", json: TaskSpec(source: TaskSource(path: data.path, tokenRange: TokenRange(start: 9, end: 9))))
                }
            }
        }
    }

    @Test(.enabled(if: sharedSSTablesPresent)) func taskRunsToCompletionWithEventsLogAndReport() async throws {
        let agent = try await RunningAgent()
        try await finally({ await agent.stop() }) { () async throws in
            let c = try agent.client()
            try await finally({ try await c.shutdown() }) { () async throws in
                let spec = TaskSpec(name: "mc", source: TaskSource(path: legacySSTables + "/mc/legacy_tables", tables: ["legacy_mc_simple", "legacy_mc_clust"]),
                                    rowsPerSecond: 400)
                let task: TaskRecord = try await c.post("/v1/tasks", json: spec)
                #expect(task.status == .created)
                let started: TaskRecord = try await c.post("/v1/tasks/\(task.id)/start", json: Optional<String>.none)
                #expect(started.status == .running)
                await expectStatus(409) { let _: TaskRecord = try await c.post("/v1/tasks/\(task.id)/start", json: Optional<String>.none) }
                await expectStatus(409) { _ = try await c.send("DELETE", "/v1/tasks/\(task.id)") }

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
                #expect(done.tables.map(\.rows) == [250, 5])
                #expect(done.report?.ok == true)
                #expect(done.stages.map(\.name.rawValue) == ["extract", "validate"])
                let staged = readFile(done.stagingDirectory + "/legacy_tables.legacy_mc_simple.jsonl")
                #expect(staged.split(separator: "\n").count == 5)
                // No schema given: 3.x SSTables describe themselves, with Cassandra's default key name.
                #expect(staged.hasPrefix(#"{"key":"0","val":"foo bar baz"}"#))
                let log = String(decoding: try await c.send("GET", "/v1/tasks/\(task.id)/log"), as: UTF8.self)
                #expect(log.contains("extracting legacy_tables.legacy_mc_clust"))

                _ = try await c.send("DELETE", "/v1/tasks/\(task.id)?removeStaging=true")
                #expect(!FileManager.default.fileExists(atPath: done.stagingDirectory))
                let list: [TaskRecord] = try await c.get("/v1/tasks")
                #expect(list.isEmpty)
            }
        }
    }

    @Test(.enabled(if: sharedSSTablesPresent)) func stopAtACheckpointThenResumeEqualsACleanRun() async throws {
        let agent = try await RunningAgent()
        try await finally({ await agent.stop() }) { () async throws in
            let c = try agent.client()
            try await finally({ try await c.shutdown() }) { () async throws in
                let source = TaskSource(path: legacySSTables + "/mc/legacy_tables/legacy_mc_clust")
                let clean: TaskRecord = try await c.post("/v1/tasks", json: TaskSpec(source: source))
                let _: TaskRecord = try await c.post("/v1/tasks/\(clean.id)/start", json: Optional<String>.none)
                let cleanDone = try await waitFor(30, { try await c.get("/v1/tasks/\(clean.id)", as: TaskRecord.self) }, until: { $0.status == .completed })
                #expect(cleanDone.status == .completed)

                let slow: TaskRecord = try await c.post("/v1/tasks", json: TaskSpec(source: source, rowsPerSecond: 100))
                let _: TaskRecord = try await c.post("/v1/tasks/\(slow.id)/start", json: Optional<String>.none)
                _ = try await waitFor(30, { try await c.get("/v1/tasks/\(slow.id)", as: TaskRecord.self) }, until: { ($0.tables.first?.rows ?? 0) > 60 })
                let _: TaskRecord = try await c.post("/v1/tasks/\(slow.id)/stop", json: Optional<String>.none)
                let stopped = try await waitFor(30, { try await c.get("/v1/tasks/\(slow.id)", as: TaskRecord.self) }, until: { $0.status == .stopped })
                #expect(stopped.status == .stopped)
                let atStop = stopped.tables.first?.rows ?? 0
                #expect(atStop > 0 && atStop < 250)
                await expectStatus(409) { let _: TaskRecord = try await c.post("/v1/tasks/\(slow.id)/stop", json: Optional<String>.none) }

                var resumeSpec = stopped
                resumeSpec.spec.rowsPerSecond = nil
                let _: TaskRecord = try await c.post("/v1/tasks/\(slow.id)/resume", json: Optional<String>.none)
                let resumed = try await waitFor(30, { try await c.get("/v1/tasks/\(slow.id)", as: TaskRecord.self) }, until: { $0.status == .completed })
                #expect(resumed.status == .completed)
                #expect(resumed.report?.tables.first?.checksum == cleanDone.report?.tables.first?.checksum)
                let a = readFile(cleanDone.stagingDirectory + "/legacy_tables.legacy_mc_clust.jsonl")
                let b = readFile(resumed.stagingDirectory + "/legacy_tables.legacy_mc_clust.jsonl")
                #expect(a == b)
                #expect(a.split(separator: "\n").count == 250)
            }
        }
    }
}
