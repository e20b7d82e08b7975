import Foundation

/// The `nodes:` section of the settings: which hosts may be registered as nodes, where their
/// key files must lie, and the commands the agent runs on them. The API cannot change any of it.
public struct NodeSettings: Codable, Sendable, Equatable {
    /// Host names, IP addresses, CIDR blocks and `*.domain` patterns a node's `host` must match;
    /// empty: no node can be registered.
    public var allowedHosts: [String] = []
    /// Folders that hold the nodes' SSH keys and known_hosts files (`identityFile`, `knownHostsFile`).
    public var keyDirectories: [String] = ["keys"]
    /// Run on a node to take a snapshot; `{tag}` becomes the shell-quoted tag.
    public var snapshotCommand: String = "nodetool snapshot -t {tag}"
    /// Run on a node to clear the snapshot once copied.
    public var clearSnapshotCommand: String = "nodetool clearsnapshot -t {tag}"

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case allowedHosts = "allowed_hosts", keyDirectories = "key_directories"
        case snapshotCommand = "snapshot_command", clearSnapshotCommand = "clear_snapshot_command"
    }

    public init(from decoder: any Decoder) throws {
        try checkKnownKeys(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = NodeSettings()
        allowedHosts = try c.decodeIfPresent([String].self, forKey: .allowedHosts) ?? d.allowedHosts
        keyDirectories = try c.decodeIfPresent([String].self, forKey: .keyDirectories) ?? d.keyDirectories
        snapshotCommand = try c.decodeIfPresent(String.self, forKey: .snapshotCommand) ?? d.snapshotCommand
        clearSnapshotCommand = try c.decodeIfPresent(String.self, forKey: .clearSnapshotCommand) ?? d.clearSnapshotCommand
    }

    /// The snapshot command for `tag`.
    public func snapshot(tag: String) -> String { Self.fill(snapshotCommand, tag: tag) }
    /// The clear-snapshot command for `tag`.
    public func clearSnapshot(tag: String) -> String { Self.fill(clearSnapshotCommand, tag: tag) }

    static func fill(_ template: String, tag: String) -> String { template.replacingOccurrences(of: "{tag}", with: SSHClient.quote(tag)) }
}
