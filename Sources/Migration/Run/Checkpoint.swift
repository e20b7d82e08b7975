import DynamoMapping
import Foundation
import Synchronization

/// What a resumable run has finished, kept in `<staging>/checkpoint.json` and rewritten
/// atomically (temporary file, fsync, rename) after every step, so a crash at any point leaves
/// either the old or the new state.
public struct Checkpoint: Codable, Sendable, Hashable {
    /// Per import of a table: its ARN once ImportTable was accepted, and the outcome.
    public struct ImportState: Codable, Sendable, Hashable {
        public var importArn: String
        public var status: String?
        public var importedItems: Int?
        public var errorCount: Int?
    }

    /// S3 objects known intact: part file → `s3://bucket/key` + ETag.
    public var uploaded: [String: String] = [:]
    /// Resumable multipart uploads in progress: part file → upload id.
    public var multipartUploads: [String: String] = [:]
    /// Batch mode: parts fully written, per target table.
    public var loadedParts: [String: [String]] = [:]
    /// Import mode: per target table.
    public var imports: [String: ImportState] = [:]
    /// Target tables whose TTL was applied.
    public var ttlApplied: [String] = []
    /// Target tables whose load is complete: a resumed run does not load them again.
    public var loadedTables: [String] = []
    /// Target tables validated without differences, with their report: a resumed run does not
    /// scan them again (`cass2dynamo validate` always does).
    public var validated: [String: ValidationReport] = [:]
    /// Per target table, the staging key (``StagedTable/stagingKey``) of the staged data the
    /// state above refers to. When a table is staged again, its state is dropped.
    public var stagingKeys: [String: String] = [:]

    public init() {}
    public static let fileName = "checkpoint.json"

    /// The ETag S3 gave a part stored intact (the end of its `uploaded` record).
    func eTag(ofUploaded file: String) -> String? {
        uploaded[file].flatMap { $0.split(separator: " ").last.map(String.init) }
    }

    /// Forgets what was done for `table` (its staged data changed).
    mutating func reset(table: String, dataFolder: String) {
        loadedParts[table] = nil
        imports[table] = nil
        ttlApplied.removeAll { $0 == table }
        loadedTables.removeAll { $0 == table }
        validated[table] = nil
        uploaded = uploaded.filter { !$0.key.hasPrefix(dataFolder + "/") }
        multipartUploads = multipartUploads.filter { !$0.key.hasPrefix(dataFolder + "/") }
    }
}

extension Checkpoint {
    enum CodingKeys: String, CodingKey {
        case uploaded, multipartUploads, loadedParts, imports, ttlApplied, loadedTables, validated, stagingKeys
    }

    /// Fields missing from a checkpoint written by an earlier version start empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        uploaded = try c.decodeIfPresent([String: String].self, forKey: .uploaded) ?? [:]
        multipartUploads = try c.decodeIfPresent([String: String].self, forKey: .multipartUploads) ?? [:]
        loadedParts = try c.decodeIfPresent([String: [String]].self, forKey: .loadedParts) ?? [:]
        imports = try c.decodeIfPresent([String: ImportState].self, forKey: .imports) ?? [:]
        ttlApplied = try c.decodeIfPresent([String].self, forKey: .ttlApplied) ?? []
        loadedTables = try c.decodeIfPresent([String].self, forKey: .loadedTables) ?? []
        validated = try c.decodeIfPresent([String: ValidationReport].self, forKey: .validated) ?? [:]
        stagingKeys = try c.decodeIfPresent([String: String].self, forKey: .stagingKeys) ?? [:]
    }
}

/// The checkpoint file of one staging folder; thread-safe, saved on every change.
public final class CheckpointStore: Sendable {
    public let path: String
    private let state: Mutex<Checkpoint>

    /// Opens (or starts) `<staging>/checkpoint.json`.
    public init(staging: String) throws {
        path = staging + "/" + Checkpoint.fileName
        if FileSystem.exists(path) {
            do {
                state = Mutex(try JSONDecoder().decode(Checkpoint.self, from: Data(try FileSystem.read(path))))
            } catch {
                throw StagingError("\(path): not a valid checkpoint (\((error as? DecodingError)?.userMessage ?? "\(error)")); delete it to start over")
            }
        } else {
            state = Mutex(Checkpoint())
        }
    }

    /// An in-memory store that is never written (for one-off commands without a staging folder).
    public init(memoryOnly: Void) {
        path = ""
        state = Mutex(Checkpoint())
    }

    public var value: Checkpoint { state.withLock { $0 } }

    /// Ties the checkpoint to `manifest`: a table whose staged data is not the data its state
    /// was recorded for (staged again since) starts over from upload. Returns those tables.
    @discardableResult
    public func adopt(_ manifest: Manifest) throws -> [String] {
        var reset: [String] = []
        for table in manifest.tables where try adopt(table: table.design.table, key: table.stagingKey, dataFolder: table.dataFolder) {
            reset.append(table.design.table)
        }
        return reset
    }

    /// Ties the checkpoint to the data of one table staged (or being staged) under `key`: state
    /// recorded for other data of it is dropped. Returns whether it was.
    @discardableResult
    public func adopt(table: String, key: String?, dataFolder: String) throws -> Bool {
        guard value.stagingKeys[table] != key else { return false }
        try update { checkpoint in
            checkpoint.reset(table: table, dataFolder: dataFolder)
            checkpoint.stagingKeys[table] = key
        }
        return true
    }

    /// Applies `change` and saves the file before returning.
    public func update(_ change: (inout Checkpoint) -> Void) throws {
        try state.withLock { checkpoint in
            change(&checkpoint)
            guard !path.isEmpty else { return }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write([UInt8](try encoder.encode(checkpoint)), to: path)
        }
    }
}
