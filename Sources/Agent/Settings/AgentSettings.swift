import DynamoMapping
import Foundation

/// The agent's settings file (`agent-settings.yaml`): where it listens, its TLS material,
/// its token, the directories it may read and write, the nodes it may reach and its AWS setup.
public struct AgentSettings: Codable, Sendable, Equatable {
    /// Address to listen on (`0.0.0.0` for every interface).
    public var host: String = "0.0.0.0"
    /// TCP port; 8080 as in the reference system.
    public var port: Int = 8080
    /// TLS: certificate chain and key (PEM), and the CA that client certificates must chain to.
    public var tls: TLSSettings = TLSSettings()
    /// File holding the bearer token (one line). Relative paths are relative to the settings file.
    public var tokenFile: String = "token"
    /// Where tasks, logs and the node list are kept.
    public var stateDirectory: String = "state"
    /// Where tasks write staged data and node copies.
    public var stagingDirectory: String = "staging"
    /// Local directories that task sources and schema files may name (nothing outside them).
    public var dataDirectories: [String] = []
    /// Log level: trace, debug, info, notice, warning, error, critical.
    public var logLevel: String = "info"
    /// Nodes: allowed hosts, key folders, snapshot commands.
    public var nodes: NodeSettings = NodeSettings()
    /// Where dynamodb tasks send their requests.
    public var aws: AWSSettings = AWSSettings()

    public init() {}

    public struct TLSSettings: Codable, Sendable, Equatable {
        public var certificate: String? = "tls/server.pem"
        public var privateKey: String? = "tls/server-key.pem"
        /// When set, clients must present a certificate issued by this CA (mutual TLS).
        public var clientCA: String? = "tls/ca.pem"
        public init() {}
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case host, port, tls, tokenFile = "token_file", stateDirectory = "state_directory"
        case stagingDirectory = "staging_directory", dataDirectories = "data_directories", logLevel = "log_level"
        case nodes, aws
    }

    public init(from decoder: any Decoder) throws {
        try checkKnownKeys(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? "0.0.0.0"
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? 8080
        tls = try c.decodeIfPresent(TLSSettings.self, forKey: .tls) ?? TLSSettings()
        tokenFile = try c.decodeIfPresent(String.self, forKey: .tokenFile) ?? "token"
        stateDirectory = try c.decodeIfPresent(String.self, forKey: .stateDirectory) ?? "state"
        stagingDirectory = try c.decodeIfPresent(String.self, forKey: .stagingDirectory) ?? "staging"
        dataDirectories = try c.decodeIfPresent([String].self, forKey: .dataDirectories) ?? []
        logLevel = try c.decodeIfPresent(String.self, forKey: .logLevel) ?? "info"
        nodes = try c.decodeIfPresent(NodeSettings.self, forKey: .nodes) ?? NodeSettings()
        aws = try c.decodeIfPresent(AWSSettings.self, forKey: .aws) ?? AWSSettings()
    }
}

extension AgentSettings.TLSSettings {
    enum CodingKeys: String, CodingKey, CaseIterable { case certificate, privateKey = "private_key", clientCA = "client_ca" }

    /// A key left out is null (no file), as `client_ca` is documented to be.
    public init(from decoder: any Decoder) throws {
        try checkKnownKeys(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        certificate = try c.decodeIfPresent(String.self, forKey: .certificate)
        privateKey = try c.decodeIfPresent(String.self, forKey: .privateKey)
        clientCA = try c.decodeIfPresent(String.self, forKey: .clientCA)
    }
}

/// Settings read from a file, with every relative path made absolute against the file's folder.
public struct LoadedSettings: Sendable {
    public var settings: AgentSettings
    /// Folder of the settings file.
    public var baseDirectory: String

    public init(settings: AgentSettings, baseDirectory: String) {
        self.settings = settings
        self.baseDirectory = baseDirectory
    }

    /// Reads and decodes `path`.
    public static func load(path: String) throws -> LoadedSettings {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AgentError("cannot read settings file \(path)")
        }
        let settings: AgentSettings
        do {
            settings = try YAMLDocument.decode(AgentSettings.self, from: String(decoding: data, as: UTF8.self))
        } catch {
            let place = path + (error.line.map { ", line \($0)" } ?? "")
            if let own = error.underlying as? AgentError { throw AgentError("\(place): \(own)") }
            throw AgentError("\(place): invalid settings: \(error.message)")
        }
        let base = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        return LoadedSettings(settings: settings, baseDirectory: base)
    }

    /// `path` made absolute against the settings file's folder.
    public func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
        return URL(fileURLWithPath: baseDirectory).appendingPathComponent(path).standardizedFileURL.path
    }

    public var stateDirectory: String { resolve(settings.stateDirectory) }
    public var stagingDirectory: String { resolve(settings.stagingDirectory) }
    public var dataDirectories: [String] { settings.dataDirectories.map(resolve) }
    public var keyDirectories: [String] { settings.nodes.keyDirectories.map(resolve) }

    /// The bearer token (first line of the token file, trimmed).
    public func token() throws -> String {
        let path = resolve(settings.tokenFile)
        guard let data = FileManager.default.contents(atPath: path) else { throw AgentError("cannot read token file \(path)") }
        let token = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)?
            .trimmingCharacters(in: .whitespaces) ?? ""
        guard token.count >= 16 else { throw AgentError("token file \(path) holds no token of 16 or more characters") }
        return token
    }
}

/// An error for the user, one line.
public struct AgentError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
