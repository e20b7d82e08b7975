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
    /// Target tables whose load is complete.
    public var loadedTables: [String] = []
    /// Target tables validated without differences.
    public var validatedTables: [String] = []

    public init() {}
    public static let fileName = "checkpoint.json"
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
                throw StagingError("\(path): not a valid checkpoint (\(error)); delete it to start over")
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

    /// Applies `change` and saves the file before returning.
    public func update(_ change: (inout Checkpoint) -> Void) throws {
        try state.withLock { checkpoint in
            change(&checkpoint)
            guard !path.isEmpty else { return }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try FileSystem.writeAtomically(path, [UInt8](try encoder.encode(checkpoint)))
        }
    }
}
