import Foundation
import Migration
import Synchronization

/// A Cassandra node the agent reads over SSH with least privilege: a user that can read the
/// data directories (and, if snapshots are wanted, run the snapshot commands of the agent's settings).
public struct RemoteNode: Codable, Sendable, Equatable {
    public var name: String
    public var host: String
    public var port: Int?
    public var user: String
    /// Private key file on the agent host, inside `nodes.key_directories`.
    public var identityFile: String
    /// Data directories; when absent, `data_file_directories` of `cassandraYaml`.
    public var dataDirectories: [String]?
    public var cassandraYaml: String?
    /// known_hosts file (inside `nodes.key_directories`) to check the node's host key against;
    /// default: the agent's own (first connection records the key, later ones must match).
    public var knownHostsFile: String?

    public init(name: String, host: String, port: Int? = nil, user: String, identityFile: String, dataDirectories: [String]? = nil,
                cassandraYaml: String? = nil, knownHostsFile: String? = nil) {
        self.name = name; self.host = host; self.port = port; self.user = user; self.identityFile = identityFile
        self.dataDirectories = dataDirectories; self.cassandraYaml = cassandraYaml; self.knownHostsFile = knownHostsFile
    }

    /// Parses a CSV node list: `name,host,port,user,identity_file,data_directories,cassandra_yaml`
    /// (data directories separated by `;`; a header line starting with `name` is skipped).
    public static func parseCSV(_ text: String) throws(APIError) -> [RemoteNode] {
        var out: [RemoteNode] = []
        for (n, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || (n == 0 && line.lowercased().hasPrefix("name,")) { continue }
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard (5...7).contains(f.count) else {
                let more = f.count > 7 ? "; snapshot commands are no longer node fields: they live in agent-settings.yaml (nodes.snapshot_command, nodes.clear_snapshot_command)" : ""
                throw .badRequest("CSV line \(n + 1): expected name,host,port,user,identity_file[,data_directories[,cassandra_yaml]]\(more)")
            }
            guard f[2].isEmpty || Int(f[2]) != nil else { throw .badRequest("CSV line \(n + 1): port '\(f[2])' is not a number") }
            let dirs = f.count > 5 && !f[5].isEmpty ? f[5].split(separator: ";").map(String.init) : nil
            let yaml = f.count > 6 && !f[6].isEmpty ? f[6] : nil
            out.append(RemoteNode(name: f[0], host: f[1], port: Int(f[2]), user: f[3], identityFile: f[4], dataDirectories: dirs, cassandraYaml: yaml))
        }
        return out
    }
}

/// The registered nodes, kept in `nodes.json` in the state directory.
public final class NodeStore: Sendable {
    let path: String
    let nodes: Mutex<[RemoteNode]>
    let policy: NodePolicy

    public init(stateDirectory: String, policy: NodePolicy) throws {
        path = stateDirectory + "/nodes.json"
        self.policy = policy
        if let data = FileManager.default.contents(atPath: path) {
            nodes = Mutex(try JSONDecoder().decode([RemoteNode].self, from: data))
        } else {
            nodes = Mutex([])
        }
    }

    public func list() -> [RemoteNode] { nodes.withLock { $0 } }

    public func get(_ name: String) throws(APIError) -> RemoteNode {
        guard let n = nodes.withLock({ $0.first { $0.name == name } }) else { throw .notFound("no node named \(name)") }
        return n
    }

    /// A node checked against today's settings (they may have changed since it was registered).
    public func usable(_ name: String) throws(APIError) -> RemoteNode {
        let n = try get(name)
        try policy.check(n)
        return n
    }

    /// Adds or replaces nodes (by name).
    public func put(_ new: [RemoteNode]) throws {
        for n in new { try policy.check(n) }
        let all = nodes.withLock { list -> [RemoteNode] in
            for n in new {
                if let i = list.firstIndex(where: { $0.name == n.name }) { list[i] = n } else { list.append(n) }
            }
            return list
        }
        try save(all)
    }

    public func remove(_ name: String) throws {
        _ = try get(name)
        let all = nodes.withLock { list -> [RemoteNode] in list.removeAll { $0.name == name }; return list }
        try save(all)
    }

    func save(_ all: [RemoteNode]) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(Array(try e.encode(all)), to: path, mode: 0o600)
    }
}
