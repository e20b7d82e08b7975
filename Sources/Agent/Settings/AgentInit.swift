import Crypto
import Foundation
import HexCoding
import Migration

/// `agent init`: writes the settings file, a token and, on request, a certificate set.
public enum AgentInit {
    public struct Result: Sendable {
        public var settingsPath: String
        public var written: [String]
    }

    /// Writes `dir/agent-settings.yaml`, `dir/token`, the empty key folder `dir/keys/` and with `generateCerts`
    /// `dir/tls/{ca,server,client}.pem`, `dir/tls/{ca,server,client}-key.pem`.
    /// Existing files are kept unless `force`.
    public static func run(directory: String, generateCerts: Bool, hostnames: [String], port: Int,
                           dataDirectories: [String], force: Bool) throws -> Result {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written: [String] = []
        func write(_ name: String, _ text: String, mode: Int) throws {
            let path = directory + "/" + name
            if fm.fileExists(atPath: path) && !force { throw AgentError("\(path) exists (use --force to replace it)") }
            try AtomicFile.write(Array(text.utf8), to: path, mode: mode_t(mode))
            written.append(path)
        }
        var settings = AgentSettings()
        settings.port = port
        settings.dataDirectories = dataDirectories
        if !generateCerts {
            settings.tls.certificate = "tls/server.pem"
            settings.tls.privateKey = "tls/server-key.pem"
        }
        try write("agent-settings.yaml", SettingsTemplate.text(for: settings), mode: 0o644)
        try write("token", randomToken() + "\n", mode: 0o600)
        try fm.createDirectory(atPath: directory + "/keys", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if generateCerts {
            try fm.createDirectory(atPath: directory + "/tls", withIntermediateDirectories: true)
            let certs = try GeneratedCertificates.generate(hostnames: hostnames)
            try write("tls/ca.pem", certs.caPEM, mode: 0o644)
            try write("tls/ca-key.pem", certs.caKeyPEM, mode: 0o600)
            try write("tls/server.pem", certs.serverPEM, mode: 0o644)
            try write("tls/server-key.pem", certs.serverKeyPEM, mode: 0o600)
            try write("tls/client.pem", certs.clientPEM, mode: 0o644)
            try write("tls/client-key.pem", certs.clientKeyPEM, mode: 0o600)
        }
        return Result(settingsPath: directory + "/agent-settings.yaml", written: written)
    }

    /// 32 random bytes as 64 hex digits.
    public static func randomToken() -> String {
        let key = SymmetricKey(size: .bits256)
        return key.withUnsafeBytes { Hex.encode($0) }
    }
}
