import Foundation
import TestSupport
import Testing

/// An agent that does not answer is named with the reason in words, not a dump of NIO's error.
struct UnreachableAgentTests {
    @Test func aClosedPortSaysConnectionRefused() async throws {
        let closed = try ClosedPort()
        defer { withExtendedLifetime(closed) {} }
        let url = "https://127.0.0.1:\(closed.port)"
        let env = ["CASS2DYNAMO_CONFIG_DIR": TempDir("agents").path]
        let expected = "cass2dynamo: error: cannot reach the agent a1 at \(url): connection refused\n"
        let checked = try await runProgram(try TestPaths.binary(), ["agents", "register", "a1", url, "--token", "t"], environment: env)
        #expect(checked.status == 1 && checked.stderr == expected, "\(checked.stderr)")
        let registered = try await runProgram(try TestPaths.binary(), ["agents", "register", "a1", url, "--token", "t", "--no-check"], environment: env)
        #expect(registered.status == 0, "\(registered.stderr)")
        let listed = try await runProgram(try TestPaths.binary(), ["tasks", "list", "--agent", "a1"], environment: env)
        #expect(listed.status == 1 && listed.stderr == expected, "\(listed.stderr)")
    }
}
