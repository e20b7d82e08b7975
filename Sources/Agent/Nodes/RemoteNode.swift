import Foundation
import Synchronization

/// A Cassandra node the agent reads over SSH with least privilege: a user that can read the
/// data directories (and, if snapshots are wanted, run one snapshot command).
public struct RemoteNode: Codable, Sendable, Equatable {
    public var name: String
    public var host: String
    public var port: Int?
    public var user: String
    /// Private key file on the agent host.
    public var identityFile: String
    /// Data directories; when absent, `data_file_directories` of `cassandraYaml`.
    public var dataDirectories: [String]?
    public var cassandraYaml: String?
    /// Runs on the node to take a snapshot; `{tag}` is replaced (e.g. `sudo -n nodetool snapshot -t {tag}`).
    public var snapshotCommand: String?
    public var clearSnapshotCommand: String?
    /// known_hosts file to check the node's host key against; default: the agent's own
    /// (first connection records the key, later ones must match).
    public var knownHostsFile: String?

    public init(name: String, host: String, port: Int? = nil, user: String, identityFile: String, dataDirectories: [String]? = nil,
                cassandraYaml: String? = nil, snapshotCommand: String? = nil, clearSnapshotCommand: String? = nil, knownHostsFile: String? = nil) {
        self.name = name; self.host = host; self.port = port; self.user = user; self.identityFile = identityFile
        self.dataDirectories = dataDirectories; self.cassandraYaml = cassandraYaml; self.snapshotCommand = snapshotCommand
        self.clearSnapshotCommand = clearSnapshotCommand; self.knownHostsFile = knownHostsFile
    }

    var effectiveSnapshotCommand: String { snapshotCommand ?? "nodetool snapshot -t {tag}" }
    var effectiveClearCommand: String { clearSnapshotCommand ?? "nodetool clearsnapshot -t {tag}" }

    /// Checks the fields a client sent.
    func validate() throws(APIError) {
        let nameOK = !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
        guard nameOK else { throw .badRequest("node name must be letters, digits, '-', '_' or '.'") }
        guard !host.isEmpty, !host.hasPrefix("-"), !host.contains(where: \.isWhitespace) else { throw .badRequest("node \(name): invalid host") }
        guard !user.isEmpty, !user.hasPrefix("-"), !user.contains(where: { $0.isWhitespace || $0 == "@" }) else { throw .badRequest("node \(name): invalid user") }
        if let port, !(1...65535).contains(port) { throw .badRequest("node \(name): port must be 1-65535") }
        guard identityFile.hasPrefix("/") else { throw .badRequest("node \(name): identityFile must be an absolute path") }
        guard FileManager.default.isReadableFile(atPath: identityFile) else { throw .badRequest("node \(name): identity file \(identityFile) is not readable") }
        guard dataDirectories?.isEmpty == false || cassandraYaml != nil else {
            throw .badRequest("node \(name): give dataDirectories or cassandraYaml")
        }
        for d in dataDirectories ?? [] where !d.hasPrefix("/") { throw .badRequest("node \(name): data directory \(d) must be absolute") }
    }

    /// Parses a CSV node list: `name,host,port,user,identity_file,data_directories,cassandra_yaml`
    /// (data directories separated by `;`; a header line starting with `name` is skipped).
    public static func parseCSV(_ text: String) throws(APIError) -> [RemoteNode] {
        var out: [RemoteNode] = []
        for (n, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || (n == 0 && line.lowercased().hasPrefix("name,")) { continue }
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count >= 5 else { throw .badRequest("CSV line \(n + 1): expected name,host,port,user,identity_file[,data_directories[,cassandra_yaml]]") }
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

    public init(stateDirectory: String) throws {
        path = stateDirectory + "/nodes.json"
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

    /// Adds or replaces nodes (by name).
    public func put(_ new: [RemoteNode]) throws {
        for n in new { try n.validate() }
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
