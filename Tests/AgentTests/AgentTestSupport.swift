import AWS
import Agent
import AsyncHTTPClient
import Foundation
import TestSupport
import Logging
import NIOCore
import NIOSSL
import Synchronization
import Testing

/// Captures every log line (message and metadata) so tests can look for secrets.
final class LogCapture: Sendable {
    let lines = Mutex<[String]>([])
    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func logger() -> Logger {
        Logger(label: "test") { _ in CapturingHandler(capture: self) }
    }

    struct CapturingHandler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            capture.lines.withLock { $0.append("\(event.level) \(event.message) \(event.metadata ?? [:])") }
        }
    }
}

/// The shared SSTables (read-only).
let legacySSTables = TestPaths.cassandra

/// Tests that read the shared SSTables run when they are there, and always in CI (where their
/// absence fails the tests loudly); elsewhere they are skipped, so that a test stopped early by
/// the missing folder cannot leave a client running that takes the whole test process down.
let sharedSSTablesPresent = FileManager.default.fileExists(atPath: legacySSTables) || TestPaths.isCI

/// An agent running in this process on a free loopback port, with generated certificates.
final class RunningAgent: @unchecked Sendable {
    let dir = TempDir()
    let port: Int
    let service: AgentService
    let logs = LogCapture()
    let token: String
    private var run: Task<Void, any Error>?

    /// `dataDirectory` is copied-from material the tasks may read; `configure` changes the settings `agent init` wrote.
    init(dataDirectories: [String] = [legacySSTables], mutualTLS: Bool = true, aws: AWSEnvironment = .process,
         configure: (inout AgentSettings) -> Void = { _ in }) async throws {
        _ = try AgentInit.run(directory: dir.path, generateCerts: true, hostnames: ["localhost", "127.0.0.1"], port: 0,
                              dataDirectories: dataDirectories, force: false)
        var loaded = try LoadedSettings.load(path: dir.path + "/agent-settings.yaml")
        if !mutualTLS { loaded.settings.tls.clientCA = nil }
        configure(&loaded.settings)
        token = try loaded.token()
        service = try AgentService(settings: loaded, logger: logs.logger(), aws: aws)
        let (stream, cont) = AsyncStream<Int>.makeStream()
        let service = self.service
        run = Task { try await service.serve(host: "127.0.0.1", port: 0, transport: .tls, handleSignals: false) { port in cont.yield(port) } }
        var it = stream.makeAsyncIterator()
        port = await it.next() ?? 0
    }

    func stop() async {
        run?.cancel()
        _ = await run?.result
    }

    var url: String { "https://127.0.0.1:\(port)" }

    /// A private key in the agent's key folder (`keys/`), for registering nodes.
    func keyFile(_ name: String = "id_node") throws -> String {
        let path = dir.path + "/keys/" + name
        if !FileManager.default.fileExists(atPath: path) { try FileManager.default.copyItem(atPath: dir.path + "/tls/client-key.pem", toPath: path) }
        return path
    }

    func endpoint(cert: Bool = true) -> AgentEndpoint {
        AgentEndpoint(name: "test", url: url, ca: dir.path + "/tls/ca.pem", certificate: cert ? dir.path + "/tls/client.pem" : nil,
                      privateKey: cert ? dir.path + "/tls/client-key.pem" : nil, tokenFile: dir.path + "/token")
    }

    func client(cert: Bool = true, token: String? = nil) throws -> AgentClient {
        try AgentClient(endpoint: endpoint(cert: cert), token: token ?? self.token)
    }
}

/// Polls `get` until `done` holds or `seconds` pass.
func waitFor<T>(_ seconds: Double, _ get: () async throws -> T, until done: (T) -> Bool) async throws -> T {
    let end = Date().addingTimeInterval(seconds)
    while true {
        let v = try await get()
        if done(v) || Date() > end { return v }
        try await Task.sleep(for: .milliseconds(100))
    }
}

/// Expects the call to fail with an agent error of `status`; returns its message.
@discardableResult
func expectStatus(_ status: Int, _ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async -> String {
    do {
        try await body()
        Issue.record("expected HTTP \(status), got success", sourceLocation: sourceLocation)
    } catch let e as AgentClientError {
        #expect(e.status == status, "\(e.message)", sourceLocation: sourceLocation)
        return e.message
    } catch {
        Issue.record("expected HTTP \(status), got \(error)", sourceLocation: sourceLocation)
    }
    return ""
}

func readFile(_ path: String) -> String { String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }

/// The agent's AWS environment for moto: what an instance role or profile gives in production.
let motoVariables = ["AWS_ACCESS_KEY_ID": MotoServer.credentials.accessKeyID,
                     "AWS_SECRET_ACCESS_KEY": MotoServer.credentials.secretAccessKey, "AWS_REGION": MotoServer.region]

/// `cass2dynamo generate --profile counters` (stats.page_views, 2 SSTables) into a new folder:
/// the folder, the expected rows' file and their count.
func generateCounters(rows: Int, seed: Int) async throws -> (data: TempDir, expected: String, rows: Int) {
    let data = TempDir()
    let generated = try await runProgram(try TestPaths.binary(), ["generate", "--profile", "counters", "--rows", String(rows), "--seed", String(seed),
                                                                 "--sstables", "2", "--out", data.path])
    #expect(generated.status == 0, "\(generated.stderr)")
    let expected = data.path + "/expected/stats.page_views.jsonl"
    return (data, expected, readFile(expected).split(separator: "\n").count)
}

/// Runs `body`, then `cleanup` (a client's shutdown, an agent's stop), awaited whether `body` threw
/// or not: what a `defer` cannot await. `body`'s error is the one reported.
func finally(_ cleanup: () async throws -> Void, _ body: () async throws -> Void) async throws {
    do { try await body() } catch {
        try? await cleanup()
        throw error
    }
    try await cleanup()
}
