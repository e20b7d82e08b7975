import Crypto
import Foundation
import HexCoding
import Yams

/// What `POST /v1/nodes/{name}/test` found on a node.
public struct NodeTestResult: Codable, Sendable {
    public var node: String
    public var reachable: Bool
    public var dataDirectories: [String]
    public var cassandraVersion: String?
    /// SSTable format versions seen in file names (`nb`, `me`, ...).
    public var sstableFormats: [String]
    public var keyspaces: [String]
    public var messages: [String]
}

/// Reads a node over SSH: its data directories, what they hold, snapshots, and copies of the
/// SSTable files (sizes and SHA-256 checked).
public struct NodeAccess: Sendable {
    public var ssh: SSHClient

    public init(node: RemoteNode, knownHosts: String) { ssh = SSHClient(node: node, knownHosts: knownHosts) }

    /// The node's data directories: given, else `data_file_directories` of its cassandra.yaml.
    public func dataDirectories() async throws -> [String] {
        if let d = ssh.node.dataDirectories, !d.isEmpty { return d }
        guard let yamlPath = ssh.node.cassandraYaml else { throw AgentError("node \(ssh.node.name): no data directories and no cassandra.yaml") }
        let out = try await ssh.check("cat -- \(SSHClient.quote(yamlPath))")
        return try Self.dataDirectories(fromYAML: out.text, node: ssh.node.name)
    }

    static func dataDirectories(fromYAML text: String, node: String) throws -> [String] {
        let parsed: Any?
        do { parsed = try Yams.load(yaml: text) } catch { throw AgentError("node \(node): cassandra.yaml does not parse: \(error)") }
        guard let map = parsed as? [String: Any] else { throw AgentError("node \(node): cassandra.yaml is not a mapping") }
        if let list = map["data_file_directories"] as? [String], !list.isEmpty { return list }
        if let one = map["data_file_directories"] as? String { return [one] }
        if let home = ProcessInfo.processInfo.environment["CASSANDRA_HOME"] { return [home + "/data/data"] }
        return ["/var/lib/cassandra/data"]
    }

    /// Files under a data directory as (size, relative path).
    func listFiles(_ dir: String) async throws -> [(size: Int64, path: String)] {
        let out = try await ssh.check("cd -- \(SSHClient.quote(dir)) && find . -type f -printf '%s %P\\n'")
        return out.text.split(separator: "\n").compactMap { line in
            guard let sp = line.firstIndex(of: " "), let size = Int64(line[..<sp]) else { return nil }
            return (size, String(line[line.index(after: sp)...]))
        }
    }

    /// Checks reachability and reports what the node holds.
    public func test() async -> NodeTestResult {
        var r = NodeTestResult(node: ssh.node.name, reachable: false, dataDirectories: [], sstableFormats: [], keyspaces: [], messages: [])
        do {
            _ = try await ssh.check("true")
            r.reachable = true
            r.dataDirectories = try await dataDirectories()
            var formats = Set<String>(), keyspaces = Set<String>()
            for d in r.dataDirectories {
                do {
                    for f in try await listFiles(d) where f.path.hasSuffix("-Data.db") {
                        let parts = f.path.split(separator: "/")
                        if let ks = parts.first, !ks.hasPrefix("system") { keyspaces.insert(String(ks)) }
                        if let v = Self.formatVersion(String(parts.last ?? "")) { formats.insert(v) }
                    }
                } catch { r.messages.append("\(error)") }
            }
            r.sstableFormats = formats.sorted()
            r.keyspaces = keyspaces.sorted()
            if let v = try? await ssh.run("nodetool version 2>/dev/null"), v.status == 0, let line = v.text.split(separator: "\n").first(where: { $0.contains("ReleaseVersion") }) {
                r.cassandraVersion = line.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) }
            } else if let newest = r.sstableFormats.max() {
                r.cassandraVersion = Self.cassandraVersion(forFormat: newest).map { "\($0) (from SSTable format \(newest))" }
            }
        } catch {
            r.messages.append("\(error)")
        }
        return r
    }

    /// The format version in an SSTable file name (`nb-1-big-Data.db`, `ks-t-ka-1-Data.db`).
    static func formatVersion(_ name: String) -> String? {
        let parts = name.split(separator: "-")
        return parts.first { $0.count == 2 && $0.allSatisfy { $0.isLowercase } }.map(String.init)
    }

    static func cassandraVersion(forFormat v: String) -> String? {
        ["jb": "2.0", "ka": "2.1", "la": "2.2", "ma": "3.0", "mb": "3.0", "mc": "3.11", "md": "3.11", "me": "3.11",
         "na": "4.0", "nb": "4.1", "oa": "5.0", "da": "5.0"][v]
    }

    /// Whether a file of a data directory is needed: the snapshot's files (or the live ones),
    /// and the schema tables; never other snapshots, backups or Cassandra's other system tables.
    static func wanted(_ path: String, snapshot: String?) -> Bool {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 3 else { return false }
        let ks = parts[0], table = parts[1]
        let isSchema = ks == "system_schema" || (ks == "system" && table.hasPrefix("schema_"))
        if ks.hasPrefix("system") && !isSchema { return false }
        let live = parts.count == 3
        if isSchema { return live }
        if let snapshot { return parts.count == 5 && parts[2] == "snapshots" && parts[3] == snapshot }
        return live
    }

    /// Copies what `wanted` selects from every data directory into `destination/d<i>/`, checks
    /// sizes and SHA-256, and returns the local data directories.
    public func fetch(into destination: String, snapshot: String?, log: @Sendable (String) -> Void) async throws -> [String] {
        var roots: [String] = []
        for (i, dir) in try await dataDirectories().enumerated() {
            let root = "\(destination)/d\(i)"
            roots.append(root)
            let files = try await listFiles(dir).filter { Self.wanted($0.path, snapshot: snapshot) }
            guard !files.isEmpty else { log("node \(ssh.node.name): nothing to copy in \(dir)"); continue }
            let sums = try await ssh.check("cd -- \(SSHClient.quote(dir)) && xargs -d '\\n' sha256sum --", input: Data(files.map(\.path).joined(separator: "\n").utf8))
            var expected: [String: String] = [:]
            for line in sums.text.split(separator: "\n") {
                let f = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
                if f.count == 2 { expected[String(f[1].drop { $0 == " " || $0 == "*" })] = String(f[0]) }
            }
            var todo: [(remote: String, local: String)] = []
            for f in files {
                let local = "\(root)/\(f.path)"
                if Self.size(local) == f.size, Self.sha256(local) == expected[f.path] { continue }
                todo.append(("\(dir)/\(f.path)", local))
            }
            let bytes = files.reduce(Int64(0)) { $0 + $1.size }
            log("node \(ssh.node.name): copying \(todo.count) of \(files.count) files (\(bytes) bytes) from \(dir)")
            try await ssh.download(todo)
            for f in files {
                let local = "\(root)/\(f.path)"
                guard Self.size(local) == f.size else { throw AgentError("node \(ssh.node.name): \(f.path): size \(Self.size(local) ?? -1) after copy, \(f.size) on the node") }
                guard let want = expected[f.path], Self.sha256(local) == want else { throw AgentError("node \(ssh.node.name): \(f.path): SHA-256 differs after copy") }
            }
            log("node \(ssh.node.name): \(files.count) files verified (sizes and SHA-256)")
        }
        return roots
    }

    static func size(_ path: String) -> Int64? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
    }

    static func sha256(_ path: String) -> String? {
        guard let h = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? h.close() }
        var hasher = SHA256()
        while let chunk = try? h.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return Hex.encode(hasher.finalize())
    }
}
