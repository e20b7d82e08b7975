import AWS
import Agent
import AsyncHTTPClient
import DynamoMapping
import DynamoModel
import Foundation
import Migration
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

/// `generateCounters` with a copy of the shared `legacy_mc_simple` (5 rows) beside it and both
/// tables in its `schema.cql`: a folder of a slow table and a quick one.
func countersAndSimple(rows: Int, seed: Int) async throws -> (data: TempDir, expected: String, rows: Int) {
    let counters = try await generateCounters(rows: rows, seed: seed)
    _ = try counters.data.copy(filesOf: legacySSTables + "/mc/legacy_tables/legacy_mc_simple", to: "legacy_tables/legacy_mc_simple")
    let schema = counters.data.path + "/schema.cql"
    try (readFile(schema) + "\nCREATE TABLE legacy_tables.legacy_mc_simple (pk text PRIMARY KEY, val text);\n")
        .write(toFile: schema, atomically: true, encoding: .utf8)
    return counters
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

/// The items of every table staged in `staging`, by DynamoDB table name: its manifest read and
/// every part read back (size, SHA-256 and item count checked against the manifest).
func stagedItems(_ staging: String) throws -> [String: [DynamoItem]] {
    var out: [String: [DynamoItem]] = [:]
    for table in try Manifest.load(staging: staging).tables {
        var items: [DynamoItem] = []
        for part in table.parts {
            items += try PartReader.items(try PartReader.readVerified(part, staging: staging), compression: table.partCompression, name: part.file, expectedCount: part.items)
        }
        out[table.design.table] = items
    }
    return out
}

/// Every staged part of `staging` (file and SHA-256), by DynamoDB table name.
func stagedParts(_ staging: String) throws -> [String: [String]] {
    var out: [String: [String]] = [:]
    for table in try Manifest.load(staging: staging).tables { out[table.design.table] = table.parts.map { "\($0.file) \($0.sha256)" } }
    return out
}

/// What differs between staged items and the rows of `expectedFile` (JSON lines as `SELECT JSON`
/// prints them; `{"$regex": …}` for a value not recorded): every row must be one item holding
/// exactly its non-null columns, text as S and numbers as N of the same value, and nothing else
/// but the composite key and TTL attributes (`pk`, `sk`, `ttl`) of the default design, as
/// `MotoServer.checkTable` checks a table; rows and items are matched by their `keys` columns.
/// Other kinds of values are reported, not skipped. The first 10 differences.
func differences(_ items: [DynamoItem], expectedFile: String, keys: [String]) throws -> [String] {
    func keyText(_ value: AttributeValue?) -> String {
        switch value {
        case .s(let s)?: s
        case .n(let n)?: n
        default: "?"
        }
    }
    func same(_ expected: Any, _ value: AttributeValue) -> Bool {
        switch (expected, value) {
        case (let text as String, .s(let s)): return text == s
        case (let number as NSNumber, .n(let n)): return Decimal(string: number.stringValue) == Decimal(string: n)
        case (let pattern as [String: Any], .s(let s)):
            guard let regex = (pattern["$regex"] as? String).flatMap({ try? NSRegularExpression(pattern: $0) }) else { return false }
            return regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s))?.range == NSRange(s.startIndex..., in: s)
        default: return false
        }
    }
    var byKey: [String: DynamoItem] = [:]
    var problems: [String] = []
    for item in items {
        let key = keys.map { keyText(item[$0]) }.joined(separator: "|")
        if byKey.updateValue(item, forKey: key) != nil { problems.append("duplicate \(key)") }
    }
    for line in readFile(expectedFile).split(separator: "\n") {
        let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]).filter { !($0.value is NSNull) }
        let key = keys.map { row[$0].map { ($0 as? NSNumber)?.stringValue ?? "\($0)" } ?? "?" }.joined(separator: "|")
        guard var item = byKey.removeValue(forKey: key) else { problems.append("missing \(key)"); continue }
        for extra in ["pk", "sk", "ttl"] where row[extra] == nil { item[extra] = nil }
        if Set(item.keys) != Set(row.keys) { problems.append("columns of \(key): \(item.keys.sorted()) vs \(row.keys.sorted())"); continue }
        for (column, expected) in row where !same(expected, item[column]!) {
            problems.append("\(key).\(column): \(item[column]!.jsonString()) vs \(expected)")
        }
    }
    problems += byKey.keys.sorted().map { "unexpected \($0)" }
    return Array(problems.prefix(10))
}
