import AWS
import Agent
import Foundation
import TestSupport
import Testing

/// Schemathesis (`st`) against a running agent: every operation of docs/agent-openapi.yaml with
/// generated requests, under every check. Bounded by a fixed example count and deterministic
/// generation, so a run makes the same requests each time.
@Suite("Agent API conformance (schemathesis)")
struct SchemathesisTests {
    /// Whether schemathesis 4's `st` is installed (checked once).
    static let available = which("st").flatMap { try? runProgramBlocking($0, ["--version"]) }.map {
        String(decoding: $0.stdout, as: UTF8.self).hasPrefix("st, version 4.")
    } ?? false
    /// True when the run should happen: `st` present, or CI (where its absence fails loudly).
    static var shouldRun: Bool { available || TestPaths.isCI }

    @Test(.enabled(if: shouldRun, "schemathesis 4 is not installed (scripts/setup --test)"))
    func theAgentConformsToItsOpenAPIFileWithoutServerErrors() async throws {
        guard Self.available else { throw TestFailure("this test needs schemathesis 4 (st on PATH); scripts/setup --test installs it") }
        // An agent that can reach nothing: no node can be registered (no allowed hosts), no task can
        // be created (its one data folder is empty and unknown to the generator), and dynamodb
        // requests would go to a closed loopback port without credentials. Whatever the generated
        // requests delete or write stays inside the agent's temporary folder.
        let data = TempDir("schemathesis-data")
        let closedPort = try ClosedPort()
        defer { withExtendedLifetime(closedPort) {} }
        let closed = closedPort.port
        let agent = try await RunningAgent(dataDirectories: [data.path], aws: AWSEnvironment(variables: ["HOME": data.path]) { _ in nil }) {
            $0.nodes.allowedHosts = []
            $0.aws.endpointURL = "http://127.0.0.1:\(closed)"
            $0.aws.region = "us-east-1"
        }
        try await finally({ await agent.stop() }) { () async throws in
            let docs = TestPaths.packageRoot.appendingPathComponent("docs").path
            let tls = agent.dir.path + "/tls/"
            let started = Date()
            let st = try await ChildProcess(which("st")!, [
                "--config-file", docs + "/agent-schemathesis.toml", "run", docs + "/agent-openapi.yaml", "--url", agent.url,
                "-H", "Authorization: Bearer \(agent.token)", "--tls-verify", tls + "ca.pem",
                "--request-cert", tls + "client.pem", "--request-cert-key", tls + "client-key.pem",
                "--checks", "all", "--max-examples", "50", "--generation-deterministic",
                "--workers", "1", "--request-timeout", "20", "--no-color",
            ])
            // About a minute on two busy cores; a run that hangs is stopped (and fails) after five.
            while st.isRunning && Date().timeIntervalSince(started) < 300 { try await Task.sleep(for: .milliseconds(200)) }
            st.kill()
            let status = await st.wait()
            let output = st.output + st.errorOutput
            let summary = output.range(of: "=== FAILURES ===").map { String(output[$0.lowerBound...]) } ?? String(output.suffix(4000))
            #expect(status == 0, "schemathesis found failures (exit \(status)):\n\(summary.prefix(20000))")
            let tail = output.split(separator: "\n").suffix(3).joined(separator: "\n")
            print("schemathesis finished in \(Int(Date().timeIntervalSince(started))) s: \(tail)")
            // Nothing of the generated requests reached a node or AWS, and the agent is still well.
            #expect(agent.service.nodes.list().isEmpty && agent.service.tasks.list().isEmpty)
        }
    }
}
