import AWS
import DynamoMapping
import Foundation
import Migration
import SSTable

/// Turns a task's spec into the job that runs it, checking every path against the agent's
/// configured directories and every node against the registered ones.
struct JobFactoryBuilder: Sendable {
    let loaded: LoadedSettings
    let nodes: NodeStore
    let knownHosts: String
    let aws: AWSEnvironment

    func job(for record: TaskRecord) throws -> any PipelineJob {
        let spec = record.spec
        let source = spec.source
        if let r = spec.rowsPerSecond, !(r > 0) { throw APIError.badRequest("rowsPerSecond must be positive") }
        if let range = source.tokenRange, !range.isValid { throw APIError.badRequest("source.tokenRange \(range) is empty: start must be below end") }
        let schemaFile = try source.schemaFile.map { try checkedPath($0, what: "schemaFile") }
        let (roots, fetch, snapshot) = try self.source(source, taskID: record.id)
        switch spec.target.kind {
        case "staging":
            return ExtractionJob(roots: roots, fetch: fetch, snapshot: snapshot, schemaFile: schemaFile, keyspaces: source.keyspaces.map(Set.init),
                                 tables: source.tables.map(Set.init), rowsPerSecond: spec.rowsPerSecond, tokenRange: source.tokenRange)
        case "dynamodb":
            let target = spec.target
            guard let url = target.s3 else { throw APIError.badRequest("target.s3 (s3://BUCKET/PREFIX) is required for a dynamodb target") }
            let s3: S3Location
            do { s3 = try S3Location(url: url) } catch { throw APIError.badRequest("target.s3: \(error)") }
            guard let mode = LoadMode(rawValue: target.mode ?? "") else { throw APIError.badRequest("target.mode must be 'import' or 'batch'") }
            if source.tokenRange != nil && mode != .batch {
                throw APIError.badRequest("a source.tokenRange share needs target.mode 'batch': ImportTable creates the whole table at once")
            }
            if let w = target.maxWCU, !(w > 0) { throw APIError.badRequest("target.maxWCU must be positive") }
            var mapping: MappingFile?
            if let text = spec.mapping {
                do { mapping = try MappingFile.parse(yaml: text) } catch { throw APIError.badRequest("mapping: \(error)") }
            }
            return MigrationJob(roots: roots, fetch: fetch, snapshot: snapshot, schemaFile: schemaFile, keyspaces: source.keyspaces ?? [],
                                tables: source.tables ?? [], tokenRange: source.tokenRange, mapping: mapping, target: target, s3: s3, mode: mode,
                                aws: aws)
        default:
            throw APIError.badRequest("target kind '\(spec.target.kind)' is unknown; use 'staging' or 'dynamodb'")
        }
    }

    /// Where a task's SSTables come from: a local root, or copies fetched from registered nodes
    /// (snapshotted first when asked); and the snapshot to read.
    func source(_ source: TaskSource, taskID: String) throws -> ([String], (@Sendable (JobContext) async throws -> [String])?, String?) {
        switch (source.path, source.nodes) {
        case (let path?, nil):
            return ([try checkedPath(path, what: "source.path")], nil, source.snapshot)
        case (nil, let names?) where !names.isEmpty:
            let list = try names.map { name throws(APIError) in
                do { return try nodes.get(name) } catch { throw .badRequest("source names unknown node \(name)") }
            }
            let take = source.takeSnapshot ?? false
            let tag = source.snapshot ?? (take ? "cass2dynamo-\(taskID)" : nil)
            let knownHosts = self.knownHosts
            let fetch: @Sendable (JobContext) async throws -> [String] = { context in
                var roots: [String] = []
                for node in list {
                    let access = NodeAccess(node: node, knownHosts: knownHosts)
                    let copies = "\(context.stagingDirectory)/nodes/\(node.name)"
                    guard take, let tag else {
                        roots += try await access.fetch(into: copies, snapshot: tag) { context.log($0) }
                        continue
                    }
                    context.log("node \(node.name): taking snapshot \(tag)")
                    _ = try await access.ssh.check(node.effectiveSnapshotCommand.replacingOccurrences(of: "{tag}", with: tag))
                    let clear = node.effectiveClearCommand.replacingOccurrences(of: "{tag}", with: tag)
                    do {
                        roots += try await access.fetch(into: copies, snapshot: tag) { context.log($0) }
                    } catch {
                        // A failed copy must not leave the snapshot's hard links on the node's disk.
                        context.log("node \(node.name): copy failed, clearing snapshot \(tag)")
                        do { _ = try await access.ssh.check(clear) } catch { context.log("node \(node.name): \(error)") }
                        throw error
                    }
                    context.log("node \(node.name): clearing snapshot \(tag) (copies verified)")
                    _ = try await access.ssh.check(clear)
                }
                return roots
            }
            return ([], fetch, tag)
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
