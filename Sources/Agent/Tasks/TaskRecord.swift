import DynamoMapping
import Foundation
import Migration
import SSTable

/// Where a task reads: a local folder (inside the agent's data directories) or remote nodes.
public struct TaskSource: Codable, Sendable, Equatable {
    /// A data directory, keyspace folder, table folder or Data.db under a configured data directory.
    public var path: String?
    /// Names of registered nodes to copy SSTables from over SSH (several = several replicas).
    public var nodes: [String]?
    /// Read this snapshot (`<table>/snapshots/NAME`); with nodes and `takeSnapshot`, the tag to create.
    public var snapshot: String?
    /// With nodes: run the node's snapshot command first and clear the snapshot at the end.
    public var takeSnapshot: Bool?
    /// Only these keyspaces / tables (`ks.table` or `table`); all when absent.
    public var keyspaces: [String]?
    public var tables: [String]?
    /// A CQL file with the table definitions (needed for 2.x SSTables), inside the data directories.
    public var schemaFile: String?
    /// `keyspace.table` of the schema the SSTables belong to, whatever their folders are called
    /// (needed when the schema holds several tables and the folder names none).
    public var schemaTable: String?
    /// Only partitions whose Murmur3 token lies in `(start, end]`: one agent's share of tables split
    /// across agents. A dynamodb target then needs mode `batch`.
    public var tokenRange: TokenRange?

    public init(path: String? = nil, nodes: [String]? = nil, snapshot: String? = nil, takeSnapshot: Bool? = nil,
                keyspaces: [String]? = nil, tables: [String]? = nil, schemaFile: String? = nil, schemaTable: String? = nil,
                tokenRange: TokenRange? = nil) {
        self.path = path; self.nodes = nodes; self.snapshot = snapshot; self.takeSnapshot = takeSnapshot
        self.keyspaces = keyspaces; self.tables = tables; self.schemaFile = schemaFile; self.schemaTable = schemaTable
        self.tokenRange = tokenRange
    }
}

/// What a task's target is: the `kind` of ``TaskTarget``. Decoding another name lists the allowed ones.
public enum TargetKind: String, Sendable, Codable, ChoiceValue {
    /// The migration pipeline stopped after staging: DynamoDB import parts, `manifest.json` and
    /// `mapping.yaml` in the task's staging folder, checked against the manifest.
    case staging
    /// The whole migration into DynamoDB.
    case dynamodb
}

/// Where a task writes.
public struct TaskTarget: Codable, Sendable, Equatable {
    public var kind: TargetKind
    /// dynamodb: where the staged parts go, `s3://BUCKET/PREFIX`.
    public var s3: String?
    /// dynamodb: `import` (ImportTable) or `batch` (BatchWriteItem).
    public var mode: LoadMode?
    /// Prepended to every DynamoDB table name.
    public var tablePrefix: String?
    /// dynamodb: one of the agent's `aws.allowed_regions`; else its `aws.region` (endpoint and
    /// credentials always come from the agent's settings and environment).
    public var region: String?
    /// dynamodb, batch mode: write-capacity budget in WCU per second.
    public var maxWCU: Double?
    /// dynamodb: create the bucket if it does not exist.
    public var createBucket: Bool?

    public init(kind: TargetKind = .staging, s3: String? = nil, mode: LoadMode? = nil, tablePrefix: String? = nil, region: String? = nil,
                maxWCU: Double? = nil, createBucket: Bool? = nil) {
        self.kind = kind; self.s3 = s3; self.mode = mode; self.tablePrefix = tablePrefix; self.region = region
        self.maxWCU = maxWCU; self.createBucket = createBucket
    }
}

/// What a client sends to create a task.
public struct TaskSpec: Codable, Sendable, Equatable {
    public var name: String?
    public var source: TaskSource
    public var target: TaskTarget
    /// The mapping file's text (`cass2dynamo plan` writes it); only its tables are staged and
    /// migrated. Without it every table gets the proposed design.
    public var mapping: String?
    /// Read no faster than this many rows per second (spares the disk of a node; tests use it).
    public var rowsPerSecond: Double?
    public init(name: String? = nil, source: TaskSource, target: TaskTarget = TaskTarget(), mapping: String? = nil, rowsPerSecond: Double? = nil) {
        self.name = name; self.source = source; self.target = target; self.mapping = mapping; self.rowsPerSecond = rowsPerSecond
    }
}

public enum TaskStatus: String, Codable, Sendable, CaseIterable {
    case created, running, stopping, stopped, interrupted, completed, failed

    /// May be started or resumed.
    public var isStartable: Bool { self == .created || self == .stopped || self == .interrupted || self == .failed }
    public var isActive: Bool { self == .running || self == .stopping }
    public var isTerminal: Bool { self == .completed || self == .failed || self == .stopped || self == .interrupted }
}

/// Progress of one table: a CQL table (extract) or a DynamoDB table (load or import, validate).
public struct TableProgress: Codable, Sendable, Equatable {
    public var keyspace: String?
    public var table: String
    /// The phase the table is in, or was in last; nil before its first.
    public var phase: PipelinePhase?
    /// Where the table is in its phase.
    public var status: StepStatus = .pending
    /// Rows (items) of its phase so far.
    public var rows: Int64 = 0
    public var bytes: Int64 = 0
    /// Estimated rows (SSTable statistics), when known.
    public var estimatedRows: Int64?
    /// Measured in the current phase.
    public var rowsPerSecond: Double?
    public var etaSeconds: Double?
    public var errors: [String] = []
    public init(keyspace: String?, table: String) { self.keyspace = keyspace; self.table = table }
    public var qualifiedName: String { keyspace.map { "\($0).\(table)" } ?? table }

    enum CodingKeys: String, CodingKey { case keyspace, table, phase, status, rows, bytes, estimatedRows, rowsPerSecond, etaSeconds, errors }

    /// Also reads task files written before statuses were typed, whose status could be a phase
    /// name (`load`, `load done`).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        keyspace = try c.decodeIfPresent(String.self, forKey: .keyspace)
        table = try c.decode(String.self, forKey: .table)
        phase = try c.decodeIfPresent(PipelinePhase.self, forKey: .phase)
        let text = try c.decode(String.self, forKey: .status)
        if let status = StepStatus(rawValue: text) {
            self.status = status
        } else if let phase = PipelinePhase(rawValue: text.hasSuffix(" done") ? String(text.dropLast(5)) : text) {
            self.phase = phase
            status = text.hasSuffix(" done") ? .done : .running
        } else {
            throw DecodingError.dataCorruptedError(forKey: .status, in: c, debugDescription: "not a table status: \(text)")
        }
        rows = try c.decode(Int64.self, forKey: .rows)
        bytes = try c.decode(Int64.self, forKey: .bytes)
        estimatedRows = try c.decodeIfPresent(Int64.self, forKey: .estimatedRows)
        rowsPerSecond = try c.decodeIfPresent(Double.self, forKey: .rowsPerSecond)
        etaSeconds = try c.decodeIfPresent(Double.self, forKey: .etaSeconds)
        errors = try c.decode([String].self, forKey: .errors)
    }
}

/// Progress of one pipeline stage of a task.
public struct StageProgress: Codable, Sendable, Equatable {
    public var name: PipelinePhase
    public var status: StepStatus = .pending
    public var message: String?
    public init(name: PipelinePhase, status: StepStatus = .pending, message: String? = nil) { self.name = name; self.status = status; self.message = message }
}

/// A task as stored on disk and returned by the API.
public struct TaskRecord: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var spec: TaskSpec
    public var status: TaskStatus
    public var createdAt: Double
    public var updatedAt: Double
    public var startedAt: Double?
    public var finishedAt: Double?
    public var stages: [StageProgress]
    public var tables: [TableProgress]
    /// The job's own checkpoint (opaque JSON text), saved at safe points.
    public var checkpoint: String?
    public var checkpointAt: Double?
    public var error: String?
    public var stagingDirectory: String
    /// The final validation, one report per DynamoDB table: the tables against the staged items
    /// (dynamodb target), or the staged parts against the manifest (staging target).
    public var report: [ValidationReport]?
    /// Set when deleted; a deleted task is gone from the list and cannot be started.
    public var deleted: Bool?
}

extension TaskRecord {
    /// Also reads task files of earlier versions: a report of the former shape (one object of
    /// per-table rows and checksums) is read as none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        spec = try c.decode(TaskSpec.self, forKey: .spec)
        status = try c.decode(TaskStatus.self, forKey: .status)
        createdAt = try c.decode(Double.self, forKey: .createdAt)
        updatedAt = try c.decode(Double.self, forKey: .updatedAt)
        startedAt = try c.decodeIfPresent(Double.self, forKey: .startedAt)
        finishedAt = try c.decodeIfPresent(Double.self, forKey: .finishedAt)
        stages = try c.decode([StageProgress].self, forKey: .stages)
        tables = try c.decode([TableProgress].self, forKey: .tables)
        checkpoint = try c.decodeIfPresent(String.self, forKey: .checkpoint)
        checkpointAt = try c.decodeIfPresent(Double.self, forKey: .checkpointAt)
        error = try c.decodeIfPresent(String.self, forKey: .error)
        stagingDirectory = try c.decode(String.self, forKey: .stagingDirectory)
        report = try? c.decodeIfPresent([ValidationReport].self, forKey: .report)
        deleted = try c.decodeIfPresent(Bool.self, forKey: .deleted)
    }
}
