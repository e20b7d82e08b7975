import AWS
@testable import Agent
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

/// Issue 15: what a holder of the token can make the agent do. Values that reach a shell or a
/// path are plain names, nodes and AWS endpoints are the operator's choice, and the API refuses
/// what it does not know.
@Suite("Agent security", .serialized, .enabled(if: sharedSSTablesPresent))
struct AgentSecurityTests {
    static let notPlain = ["../../etc", "x; touch /tmp/pwned", "$(touch /tmp/pwned)", "`id`", "-x", "a b", "a/b", "..", ""]

    /// Sends a raw JSON body; returns the answer's body.
    static func post(_ c: AgentClient, _ path: String, _ json: String) async throws -> Data {
        try await c.send("POST", path, body: Data(json.utf8))
    }

    @Test func snapshotAndFilterNamesThatAreNotPlainNamesAreRefused() async throws {
        let agent = try await RunningAgent()
        try await finally({ await agent.stop() }) { () async throws in
            let c = try agent.client()
            try await finally({ try await c.shutdown() }) { () async throws in
                let path = legacySSTables + "/mc/legacy_tables"
                for bad in Self.notPlain {
                    let body = try String(decoding: JSONEncoder().encode(TaskSpec(source: TaskSource(path: path, snapshot: bad))), as: UTF8.self)
                    let m = await expectStatus(400) { _ = try await Self.post(c, "/v1/tasks", body) }
                    #expect(m.contains("source.snapshot"), "\(bad): \(m)")
                }
                for (field, source) in [("source.tables[1]", TaskSource(path: path, tables: ["legacy_mc_simple", "../../x"])),
                                        ("source.keyspaces[0]", TaskSource(path: path, keyspaces: ["a/b"]))] {
                    let m = await expectStatus(400) { _ = try await c.createTask(TaskSpec(source: source)) }
                    #expect(m.contains(field), "\(m)")
                }
                // Plain names still pass.
                let ok = try await c.createTask(TaskSpec(source: TaskSource(path: path, snapshot: "before-upgrade_2",
                                                                                                  tables: ["legacy_tables.legacy_mc_simple"])))
                #expect(ok.status == .created)
            }
        }
    }

    /// The quoting alone (were a name ever to pass the check) keeps a tag one word: a real shell runs the command.
    @Test func snapshotCommandsQuoteTheTag() async throws {
        let dir = TempDir()
        var settings = NodeSettings()
        settings.snapshotCommand = "printf '%s' {tag} > \(dir.path)/out"
        for tag in ["x; touch \(dir.path)/pwned", "$(touch \(dir.path)/pwned)", "`touch \(dir.path)/pwned`", "it's", "a b"] {
            let r = try await runProgram("/bin/sh", ["-c", settings.snapshot(tag: tag)])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(readFile(dir.path + "/out") == tag)
            #expect(!FileManager.default.fileExists(atPath: dir.path + "/pwned"), "\(tag)")
        }
    }

    @Test func nodesAreRegisteredOnlyWithinTheSettings() async throws {
        let agent = try await RunningAgent { $0.nodes.allowedHosts = ["10.0.0.0/8", "*.cassandra.internal", "db7"] }
        try await finally({ await agent.stop() }) { () async throws in
            let c = try agent.client()
            try await finally({ try await c.shutdown() }) { () async throws in
                let key = try agent.keyFile()
                /// A node's JSON with `changes` applied to a valid one.
                func node(_ changes: [String: Any] = [:], host: String = "10.1.2.3", identityFile: String? = nil) -> String {
                    var n: [String: Any] = ["name": "n", "host": host, "user": "c2d", "identityFile": identityFile ?? key, "dataDirectories": ["/var/lib/cassandra/data"]]
                    n.merge(changes) { $1 }
                    return String(decoding: try! JSONSerialization.data(withJSONObject: n), as: UTF8.self)
                }
                for host in ["10.1.2.3", "db1.cassandra.internal", "DB7"] {
                    _ = try await Self.post(c, "/v1/nodes", node(host: host))
                }
                for host in ["11.0.0.1", "cassandra.internal", "db1.cassandra.internal.evil.example", "169.254.169.254", "localhost"] {
                    let m = await expectStatus(403) { _ = try await Self.post(c, "/v1/nodes", node(host: host)) }
                    #expect(m.contains("nodes.allowed_hosts"), "\(m)")
                }
                // Key files only from the key folders: not the token, not /etc/shadow.
                for file in [agent.dir.path + "/token", "/etc/shadow", agent.dir.path + "/keys/../token"] {
                    let m = await expectStatus(403) { _ = try await Self.post(c, "/v1/nodes", node(identityFile: file)) }
                    #expect(m.contains("identityFile") && m.contains("nodes.key_directories"), "\(m)")
                }
                var m = await expectStatus(403) { _ = try await Self.post(c, "/v1/nodes", node(["knownHostsFile": "/etc/passwd"])) }
                #expect(m.contains("knownHostsFile"), "\(m)")
                // Commands run on nodes come from the settings only.
                for field in ["snapshotCommand", "clearSnapshotCommand"] {
                    m = await expectStatus(400) { _ = try await Self.post(c, "/v1/nodes", node([field: "touch /tmp/pwned"])) }
                    #expect(m.contains(field) && m.contains("agent-settings.yaml"), "\(m)")
                }
                let csv = "name,host,port,user,identity_file,data_directories,cassandra_yaml,snapshot_command\nx,10.0.0.9,22,c2d,\(key),/d,,touch /tmp/pwned\n"
                m = await expectStatus(400) { _ = try await c.send("POST", "/v1/nodes/import", body: Data(csv.utf8), contentType: "text/csv") }
                #expect(m.contains("agent-settings.yaml"), "\(m)")
                // Names and paths that would reach a shell, an sftp batch or a local path.
                for (fields, field) in [(["name": ".."], "name"), (["user": "-oProxyCommand=x"], "user"), (["host": "-oProxyCommand=x"], "host"),
                                        (["dataDirectories": ["/d\nget /etc/shadow"]], "dataDirectories[0]"), (["cassandraYaml": "/a/../../etc/x"], "cassandraYaml"),
                                        (["proxyCommand": "x"], "proxyCommand")] as [([String: Any], String)] {
                    m = await expectStatus(400) { _ = try await Self.post(c, "/v1/nodes", node(fields)) }
                    #expect(m.contains(field), "\(m)")
                }
                #expect(try await c.nodes().map(\.name) == ["n"])
            }
        }
    }

    @Test func anAgentWithoutAllowedHostsRegistersNoNode() async throws {
        let agent = try await RunningAgent()
        try await finally({ await agent.stop() }) { () async throws in
            let c = try agent.client()
            try await finally({ try await c.shutdown() }) { () async throws in
                let node = RemoteNode(name: "n", host: "127.0.0.1", user: "c2d", identityFile: try agent.keyFile(), dataDirectories: ["/d"])
                let m = await expectStatus(403) { try await c.addNode(node) }
                #expect(m.contains("none are configured"), "\(m)")
            }
        }
    }

    /// A task cannot point the agent's signed AWS requests anywhere: no endpoint, only allowed regions.
    @Test func awsEndpointAndRegionComeFromTheSettings() async throws {
        let recorder = try RequestRecorder()
        defer { recorder.stop() }
        let keyID = "AKIDLEAKCHECK\(Int.random(in: 1000...9999))"
        let aws = AWSEnvironment(variables: ["AWS_ACCESS_KEY_ID": keyID, "AWS_SECRET_ACCESS_KEY": "secret-leak-check", "AWS_REGION": "us-east-1"])
        let agent = try await RunningAgent(aws: aws) { $0.aws.allowedRegions = ["eu-west-1"] }
        try await finally({ await agent.stop() }) { () async throws in
            let c = try agent.client()
            try await finally({ try await c.shutdown() }) { () async throws in
                let source = #"{"path":"\#(legacySSTables)/mc/legacy_tables/legacy_mc_simple"}"#
                func task(_ target: String) -> String { #"{"source":\#(source),"target":{"kind":"dynamodb","s3":"s3://bucket-b/p","mode":"batch"\#(target)}}"# }

                let m = await expectStatus(400) {
                    // Were it accepted, the run would send its requests to the recorder.
                    let created = try JSONDecoder().decode(TaskRecord.self, from: try await Self.post(c, "/v1/tasks", task(#","endpoint":"\#(recorder.url)""#)))
                    try await c.startTask(created.id)
                    _ = try await waitFor(60, { try await c.task(created.id) }, until: { $0.status.isTerminal })
                }
                #expect(m.contains("target.endpoint") && m.contains("aws.endpoint_url") && m.contains("agent-settings.yaml"), "\(m)")
                #expect(recorder.text.isEmpty, "the agent sent: \(recorder.text.prefix(300))")
                #expect(!agent.logs.text.contains("secret-leak-check"))

                for region in ["us-west-2", "x@127.0.0.2:\(recorder.port)/", "169.254.169.254"] {
                    let r = await expectStatus(400) { _ = try await Self.post(c, "/v1/tasks", task(#","region":"\#(region)""#)) }
                    #expect(r.contains("target.region") && r.contains("aws.allowed_regions"), "\(r)")
                }
                _ = try await Self.post(c, "/v1/tasks", task(#","region":"eu-west-1""#))
                #expect(recorder.text.isEmpty)
            }
        }
    }

    @Test func unknownFieldsAndInvalidMappingsAreRefusedAtCreation() async throws {
        let agent = try await RunningAgent()
        try await finally({ await agent.stop() }) { () async throws in
            let c = try agent.client()
            try await finally({ try await c.shutdown() }) { () async throws in
                let source = #""source":{"path":"\#(legacySSTables)/mc/legacy_tables"}"#
                for (body, field) in [(#"{\#(source),"target":{"kind":"staging"},"sourcePath":"/"}"#, "sourcePath"),
                                      (#"{"source":{"path":"\#(legacySSTables)/mc","snapshotName":"x"}}"#, "source.snapshotName"),
                                      (#"{\#(source),"target":{"kind":"staging","bucket":"x"}}"#, "target.bucket"),
                                      (#"{"source":{"path":"\#(legacySSTables)/mc","tokenRange":{"start":1,"end":2,"step":3}}}"#, "source.tokenRange.step")] {
                    let m = await expectStatus(400) { _ = try await Self.post(c, "/v1/tasks", body) }
                    #expect(m.contains(field), "\(m)")
                }
                for target in [#"{"kind":"dynamodb","s3":"s3://bucket-b/p","mode":"batch"}"#, #"{"kind":"staging"}"#] {
                    let m = await expectStatus(400) { _ = try await Self.post(c, "/v1/tasks", #"{\#(source),"target":\#(target),"mapping":"tables: [oops"}"#) }
                    #expect(m.hasPrefix("mapping"), "\(m)")
                }
                let m = await expectStatus(400) { _ = try await Self.post(c, "/v1/tasks", #"{\#(source),"target":{"kind":"staging"},"rowsPerSecond":"fast"}"#) }
                #expect(m.contains("rowsPerSecond") && m.contains("number"), "\(m)")
                #expect(try await c.tasks().isEmpty)
            }
        }
    }

    @Test func aTooLargeBodyGetsTheJSONErrorShape() async throws {
        let agent = try await RunningAgent()
        try await finally({ await agent.stop() }) { () async throws in
            let c = try agent.client()
            try await finally({ try await c.shutdown() }) { () async throws in
                let big = Data(#"{"name":""#.utf8) + Data(repeating: UInt8(ascii: "a"), count: 2 << 20) + Data(#""}"#.utf8)
                for (path, type) in [("/v1/tasks", "application/json"), ("/v1/nodes", "application/json"), ("/v1/nodes/import", "text/csv")] {
                    // AgentClient reads `{"error":{"message":…}}`; any other body would come back raw (empty here).
                    let m = await expectStatus(413) { _ = try await c.send("POST", path, body: big, contentType: type) }
                    #expect(m.contains("larger than 1 MiB"), "\(path): \(m)")
                }
            }
        }
    }

    /// The scheme is case-insensitive; the token must be exactly the token.
    @Test func bearerSchemeIsCaseInsensitiveAndTheTokenExact() async throws {
        let agent = try await RunningAgent()
        try await finally({ await agent.stop() }) { () async throws in
            var config = HTTPClient.Configuration()
            config.tlsConfiguration = try AgentTLS.client(ca: agent.dir.path + "/tls/ca.pem", certificate: agent.dir.path + "/tls/client.pem",
                                                          privateKey: agent.dir.path + "/tls/client-key.pem")
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
            try await finally({ try await http.shutdown() }) { () async throws in
                func status(_ authorization: String) async throws -> UInt {
                    var r = HTTPClientRequest(url: agent.url + "/v1/health")
                    r.headers.add(name: "Authorization", value: authorization)
                    let response = try await http.execute(r, timeout: .seconds(30))
                    _ = try await response.body.collect(upTo: 1 << 20)
                    return response.status.code
                }
                let t = agent.token
                for ok in ["Bearer \(t)", "bearer \(t)", "BEARER \(t)", "bEaReR \(t)"] { #expect(try await status(ok) == 200, "\(ok.prefix(8))") }
                for bad in ["Bearer \(t) x", "Bearer \(t.dropLast())", "Bearer\(t)", "Basic \(t)", "\(t)", "Bearer \(t)\(t)"] {
                    #expect(try await status(bad) == 401, "\(bad.prefix(8))")
                }
                // HTTP drops a field value's trailing spaces before the agent sees it (RFC 9110, 5.5); were
                // one to arrive, it would be part of the token and not match.
                #expect(BearerCredentials.token("Bearer \(t) ") == Array("\(t) ".utf8))
                #expect(BearerCredentials.token("bearer   \(t)") == Array(t.utf8))
            }
        }
    }
}
