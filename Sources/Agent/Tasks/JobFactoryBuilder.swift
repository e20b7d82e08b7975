import AWS
import DynamoMapping
import DynamoModel
import Foundation
import Migration
import SSTable

/// Turns a task's spec into the job that runs it, checking every path against the agent's
/// configured directories, every node against the registered ones and today's settings, every
/// name that reaches a command or a path (snapshot, keyspaces, tables) and the AWS region.
struct JobFactoryBuilder: Sendable {
    let loaded: LoadedSettings
    let nodes: NodeStore
    let knownHosts: String
    /// The agent's AWS environment (credentials).
    let environment: AWSEnvironment

    func job(for record: TaskRecord) throws -> any PipelineJob {
        let spec = record.spec
        let source = spec.source
        if let r = spec.rowsPerSecond, !(r > 0) { throw APIError.badRequest("rowsPerSecond must be positive") }
        if let range = source.tokenRange, !range.isValid { throw APIError.badRequest("source.tokenRange \(range) is empty: start must be below end") }
        try checkNames(source)
        let schemaFile = try source.schemaFile.map { try checkedPath($0, what: "source.schemaFile") }
        var mapping: MappingFile?
        if let text = spec.mapping {
            do { mapping = try MappingFile.parse(yaml: text) } catch { throw APIError.badRequest("mapping: \(error)") }
        }
        let (roots, fetch, snapshot) = try self.source(source, taskID: record.id)
        let load: MigrationJob.Load?
        switch spec.target.kind {
        case .staging: load = nil
        case .dynamodb: load = try self.load(spec.target, tokenRange: source.tokenRange)
        }
        return MigrationJob(roots: roots, fetch: fetch, snapshot: snapshot, schemaFile: schemaFile, schemaTable: source.schemaTable,
                            keyspaces: source.keyspaces ?? [], tables: source.tables ?? [], tokenRange: source.tokenRange, mapping: mapping,
                            tablePrefix: spec.target.tablePrefix, rowsPerSecond: spec.rowsPerSecond, load: load)
    }

    /// The AWS side of a dynamodb target, checked: S3 location, mode, capacity, region.
    func load(_ target: TaskTarget, tokenRange: TokenRange?) throws(APIError) -> MigrationJob.Load {
        guard let url = target.s3 else { throw .badRequest("target.s3 (s3://BUCKET/PREFIX) is required for a dynamodb target") }
        let s3: S3Location
        do { s3 = try S3Location(url: url) } catch { throw .badRequest("target.s3: \(error)") }
        guard let mode = target.mode else {
            throw .badRequest("target.mode is required for a dynamodb target: one of \(LoadMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if tokenRange != nil && mode != .batch {
            throw .badRequest("a source.tokenRange share needs target.mode 'batch': ImportTable creates the whole table at once")
        }
        if let w = target.maxWCU, !(w > 0) { throw .badRequest("target.maxWCU must be positive") }
        var aws = loaded.settings.aws
        if let region = target.region {
            guard aws.allowedRegions.contains(region) else {
                let list = aws.allowedRegions.isEmpty ? "none: the region comes from aws.region" : aws.allowedRegions.joined(separator: ", ")
                throw .badRequest("target.region \(region) is not one of the regions allowed by aws.allowed_regions in the agent's agent-settings.yaml (\(list))")
            }
            aws.region = region
        }
        return MigrationJob.Load(s3: s3, mode: mode, maxWCU: target.maxWCU, createBucket: target.createBucket ?? false,
                                 environment: environment, aws: aws)
    }

    /// The snapshot name reaches a shell command and paths, the filters compare with folder names:
    /// all are plain names.
    func checkNames(_ source: TaskSource) throws(APIError) {
        if let tag = source.snapshot { try PlainName.check(tag, field: "source.snapshot") }
        for (i, k) in (source.keyspaces ?? []).enumerated() { try PlainName.check(k, field: "source.keyspaces[\(i)]") }
        for (i, t) in (source.tables ?? []).enumerated() {
            let parts = t.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw .badRequest("source.tables[\(i)] must be 'table' or 'keyspace.table'") }
            for part in parts { try PlainName.check(String(part), field: "source.tables[\(i)]") }
        }
        if let table = source.schemaTable {
            let parts = table.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw .badRequest("source.schemaTable must be 'keyspace.table'") }
            for part in parts { try PlainName.check(String(part), field: "source.schemaTable") }
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
                do throws(APIError) { return try nodes.usable(name) } catch where error.status == 404 { throw .badRequest("source.nodes names unknown node \(name)") }
            }
            let take = source.takeSnapshot ?? false
            let tag = source.snapshot ?? (take ? "cass2dynamo-\(taskID)" : nil)
            let knownHosts = self.knownHosts
            let commands = loaded.settings.nodes
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
                    _ = try await access.ssh.check(commands.snapshot(tag: tag))
                    let clear = commands.clearSnapshot(tag: tag)
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
        try ConfinedPath.check(path, field: what, folders: loaded.dataDirectories, settingName: "data directories")
    }
}
