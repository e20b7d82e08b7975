import Foundation

/// Turns a task's spec into the job that runs it, checking every path against the agent's
/// configured directories and every node against the registered ones.
struct JobFactoryBuilder: Sendable {
    let loaded: LoadedSettings
    let nodes: NodeStore
    let knownHosts: String

    func job(for record: TaskRecord) throws -> any PipelineJob {
        let spec = record.spec
        let source = spec.source
        guard spec.target.kind == "staging" else {
            throw APIError.badRequest("target kind '\(spec.target.kind)' is not available on this agent yet; use 'staging'")
        }
        if let r = spec.rowsPerSecond, !(r > 0) { throw APIError.badRequest("rowsPerSecond must be positive") }
        let schemaFile = try source.schemaFile.map { try checkedPath($0, what: "schemaFile") }
        let keyspaces = source.keyspaces.map(Set.init)
        let tables = source.tables.map(Set.init)
        switch (source.path, source.nodes) {
        case (let path?, nil):
            return ExtractionJob(roots: [try checkedPath(path, what: "source.path")], snapshot: source.snapshot, schemaFile: schemaFile,
                                 keyspaces: keyspaces, tables: tables, rowsPerSecond: spec.rowsPerSecond)
        case (nil, let names?) where !names.isEmpty:
            let list = try names.map { name throws(APIError) in
                do { return try nodes.get(name) } catch { throw .badRequest("source names unknown node \(name)") }
            }
            let take = source.takeSnapshot ?? false
            let tag = source.snapshot ?? (take ? "cass2dynamo-\(record.id)" : nil)
            let knownHosts = self.knownHosts
            let fetch: @Sendable (JobContext) async throws -> [String] = { context in
                var roots: [String] = []
                for node in list {
                    let access = NodeAccess(node: node, knownHosts: knownHosts)
                    if take, let tag {
                        context.log("node \(node.name): taking snapshot \(tag)")
                        _ = try await access.ssh.check(node.effectiveSnapshotCommand.replacingOccurrences(of: "{tag}", with: tag))
                    }
                    roots += try await access.fetch(into: "\(context.stagingDirectory)/nodes/\(node.name)", snapshot: tag) { context.log($0) }
                    if take, let tag {
                        context.log("node \(node.name): clearing snapshot \(tag) (copies verified)")
                        _ = try await access.ssh.check(node.effectiveClearCommand.replacingOccurrences(of: "{tag}", with: tag))
                    }
                }
                return roots
            }
            return ExtractionJob(roots: [], fetch: fetch, snapshot: tag, schemaFile: schemaFile, keyspaces: keyspaces, tables: tables,
                                 rowsPerSecond: spec.rowsPerSecond)
        default:
            throw APIError.badRequest("source needs exactly one of 'path' (a local folder) or 'nodes' (registered node names)")
        }
    }

    /// `path` resolved (symlinks too); it must exist inside one of the configured data directories.
    func checkedPath(_ path: String, what: String) throws(APIError) -> String {
        guard path.hasPrefix("/") else { throw .badRequest("\(what) must be an absolute path") }
        guard let real = Self.realPath(path) else { throw .badRequest("\(what) \(path) does not exist") }
        let allowed = loaded.dataDirectories.compactMap(Self.realPath)
        guard allowed.contains(where: { real == $0 || real.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) else {
            throw APIError(403, "\(what) \(path) is outside the agent's data directories (\(loaded.dataDirectories.joined(separator: ", ")))")
        }
        return real
    }

    static func realPath(_ p: String) -> String? {
        guard let r = realpath(p, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }
}
