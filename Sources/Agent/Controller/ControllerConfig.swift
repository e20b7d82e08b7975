import Foundation
import Migration

/// A registered agent as the controller keeps it: address and TLS files; the token lives in a
/// file of its own (mode 0600) and is never printed.
public struct AgentEndpoint: Codable, Sendable, Equatable {
    public var name: String
    public var url: String
    public var ca: String?
    public var certificate: String?
    public var privateKey: String?
    public var tokenFile: String
    public init(name: String, url: String, ca: String?, certificate: String?, privateKey: String?, tokenFile: String) {
        self.name = name; self.url = url; self.ca = ca; self.certificate = certificate; self.privateKey = privateKey; self.tokenFile = tokenFile
    }
}

/// The controller's list of registered agents (`agents.json` in its config folder).
public struct ControllerConfig: Sendable {
    public let directory: String
    public var agents: [AgentEndpoint]

    /// `$CASS2DYNAMO_CONFIG_DIR`, else `$XDG_CONFIG_HOME/cass2dynamo`, else `~/.config/cass2dynamo`.
    public static var defaultDirectory: String {
        let env = ProcessInfo.processInfo.environment
        if let d = env["CASS2DYNAMO_CONFIG_DIR"] { return d }
        if let x = env["XDG_CONFIG_HOME"] { return x + "/cass2dynamo" }
        return NSHomeDirectory() + "/.config/cass2dynamo"
    }

    public static func load(directory: String = defaultDirectory) throws -> ControllerConfig {
        let path = directory + "/agents.json"
        guard let data = FileManager.default.contents(atPath: path) else { return ControllerConfig(directory: directory, agents: []) }
        return ControllerConfig(directory: directory, agents: try JSONDecoder().decode([AgentEndpoint].self, from: data))
    }

    public func save() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(Array(try e.encode(agents)), to: directory + "/agents.json", mode: 0o600)
    }

    public func agent(_ name: String) throws -> AgentEndpoint {
        guard let a = agents.first(where: { $0.name == name }) else {
            throw AgentError("no agent named \(name) (registered: \(agents.map(\.name).joined(separator: ", ")))")
        }
        return a
    }

    /// Registers (or replaces) an agent; the token is written to `tokens/NAME` with mode 0600.
    public mutating func register(name: String, url: String, ca: String?, certificate: String?, privateKey: String?, token: String) throws {
        guard url.hasPrefix("https://") || url.hasPrefix("http://127.") || url.hasPrefix("http://localhost") else {
            throw AgentError("the agent URL must be https:// (plain http only on loopback)")
        }
        let abs: (String?) -> String? = { $0.map { URL(fileURLWithPath: $0).standardizedFileURL.path } }
        try FileManager.default.createDirectory(atPath: directory + "/tokens", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let tokenFile = directory + "/tokens/" + name
        try AtomicFile.write(Array((token + "\n").utf8), to: tokenFile, mode: 0o600)
        let endpoint = AgentEndpoint(name: name, url: url, ca: abs(ca), certificate: abs(certificate), privateKey: abs(privateKey), tokenFile: tokenFile)
        agents.removeAll { $0.name == name }
        agents.append(endpoint)
    }

    public mutating func unregister(_ name: String) throws {
        let a = try agent(name)
        agents.removeAll { $0.name == name }
        unlink(a.tokenFile)
    }
}
