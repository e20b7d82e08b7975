import Agent
import Foundation
import TestSupport
import Testing

/// The real binary: `agent init`, `agent serve`, and a task that survives `kill -9`.
@Suite("Agent process", .serialized)
struct AgentProcessTests {
    @Test func killNineMidTaskThenResumeEqualsACleanRun() async throws {
        let binary = try TestPaths.binary()
        let dir = TempDir()
        let initialized = try await runProgram(binary, ["agent", "init", "--dir", dir.path, "--generate-certs", "--hostname", "127.0.0.1",
                                                        "--data-dir", legacySSTables])
        #expect(initialized.status == 0, "\(initialized.text)\(initialized.stderr)")
        for f in ["agent-settings.yaml", "token", "tls/ca.pem", "tls/server.pem", "tls/client.pem", "tls/server-key.pem", "tls/client-key.pem"] {
            #expect(FileManager.default.fileExists(atPath: "\(dir.path)/\(f)"))
        }
        let serveArgs = ["agent", "serve", "--config", dir.path + "/agent-settings.yaml", "--port", "0", "--host", "127.0.0.1"]
        var agent = try ChildProcess(binary, serveArgs, separateStderr: false)
        var port = try await agent.waitForNumber(after: "listening on ")
        func client() throws -> AgentClient {
            try AgentClient(endpoint: AgentEndpoint(name: "p", url: "https://127.0.0.1:\(port)", ca: dir.path + "/tls/ca.pem",
                                                    certificate: dir.path + "/tls/client.pem", privateKey: dir.path + "/tls/client-key.pem",
                                                    tokenFile: dir.path + "/token"))
        }
        var c = try client()
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

        agent = try ChildProcess(binary, serveArgs, separateStderr: false)
        port = try await agent.waitForNumber(after: "listening on ")
        c = try client()
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
        #expect(!agent.output.contains(readFile(dir.path + "/token").trimmingCharacters(in: .whitespacesAndNewlines)))
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
