@testable import Agent
import Foundation
import TestSupport
import Testing

/// agent-settings.yaml: a key the agent does not know is refused at load, not ignored.
@Suite("Agent settings keys")
struct SettingsKeysTests {
    /// Loads `yaml` as a settings file; the error's text, or nil when it loads.
    static func loadError(_ yaml: String) throws -> String? {
        let dir = TempDir()
        let path = dir.path + "/agent-settings.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        do { _ = try LoadedSettings.load(path: path) } catch { return "\(error)".replacingOccurrences(of: path, with: "FILE") }
        return nil
    }

    @Test func anUnknownKeyIsRefusedNamingItAndTheKeysAllowed() throws {
        let cases = [
            ("nodes:\n  allowed_host: [10.0.0.0/8]\n",
             "FILE: unknown key nodes.allowed_host; the keys of nodes are allowed_hosts, key_directories, snapshot_command, clear_snapshot_command"),
            ("hots: 127.0.0.1\n",
             "FILE: unknown key hots; the top-level keys are host, port, tls, token_file, state_directory, staging_directory, data_directories, log_level, nodes, aws"),
            ("tls:\n  client_cert: ca.pem\n", "FILE: unknown key tls.client_cert; the keys of tls are certificate, private_key, client_ca"),
            ("aws:\n  endpoint: http://x\n", "FILE: unknown key aws.endpoint; the keys of aws are region, endpoint_url, profile, allowed_regions"),
        ]
        for (yaml, message) in cases { let got = try Self.loadError(yaml); #expect(got == message, "\(got ?? "nil")") }
    }

    @Test func theFileAgentInitWritesLoads() throws {
        let dir = TempDir()
        _ = try AgentInit.run(directory: dir.path, generateCerts: false, hostnames: [], port: 8080, dataDirectories: ["/data"], force: false)
        let loaded = try LoadedSettings.load(path: dir.path + "/agent-settings.yaml")
        #expect(loaded.settings.dataDirectories == ["/data"])
        #expect(try Self.loadError("nodes:\n  allowed_hosts: [10.0.0.0/8]\ntls: {client_ca: null}\n") == nil)
    }
}
