import Foundation
import TestSupport
import Testing

/// Files people hand the tool that do not load (agent settings, TLS files, mapping.yaml): one
/// sentence naming the file, the line or the key, and what is wrong — never a Swift enum case or
/// a parser's raw dump.
struct FileErrorTests {
    /// An agent folder made by `agent init --generate-certs`, then `edit`ed; the lines `agent serve` printed.
    func serve(_ edit: (String) throws -> Void) async throws -> ProgramResult {
        let dir = TestPaths.temporaryFolder("file-errors")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let made = try await runProgram(try TestPaths.binary(), ["agent", "init", "--dir", dir, "--generate-certs"])
        #expect(made.status == 0, "\(made.stderr)")
        try edit(dir)
        return try await runProgram(try TestPaths.binary(), ["agent", "serve", "--config", dir + "/agent-settings.yaml"])
    }

    @Test func aFileThatIsNoCertificateSaysSo() async throws {
        let result = try await serve { dir in try "not a certificate\n".write(toFile: dir + "/tls/server.pem", atomically: true, encoding: .utf8) }
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("cass2dynamo: error: cannot load certificate "), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("/tls/server.pem: the file does not hold a PEM certificate (-----BEGIN ...----- block)\n"), "\(result.stderr)")
    }

    @Test func aMissingKeySaysNoSuchFile() async throws {
        let result = try await serve { dir in try FileManager.default.removeItem(atPath: dir + "/tls/server-key.pem") }
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("cass2dynamo: error: cannot load private key "), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("/tls/server-key.pem: no such file\n"), "\(result.stderr)")
    }

    @Test func settingsThatAreNotYAMLNameTheLineAndColumn() async throws {
        let result = try await serve { dir in try "port: [1, 2\n".write(toFile: dir + "/agent-settings.yaml", atomically: true, encoding: .utf8) }
        #expect(result.status == 1)
        #expect(result.stderr.hasSuffix(
            "/agent-settings.yaml: invalid settings: not valid YAML at line 2, column 1: did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 7)\n"),
            "\(result.stderr)")
    }

    @Test func aSettingOfTheWrongKindNamesItsLineAndKey() async throws {
        var portLine = 0
        let result = try await serve { dir in
            let path = dir + "/agent-settings.yaml"
            var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
            let index = try #require(lines.firstIndex { $0.hasPrefix("port:") })
            lines[index] = "port: eighty"
            portLine = index + 1
            try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(result.status == 1)
        #expect(result.stderr.hasSuffix("/agent-settings.yaml, line \(portLine): invalid settings: port: expected a whole number\n"), "\(result.stderr)")
    }
}
