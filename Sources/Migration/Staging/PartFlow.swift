/// A part whole in its table's data folder, as the extraction hands it on.
public struct ClosedPart: Sendable {
    public var part: StagedPart
    public var compression: PartCompression
}

/// What `migrate` does with parts while the extraction goes on (``MigrationRunner``): each part
/// goes to `closed` as soon as it is whole and synced, to be uploaded at once; `budget` bounds
/// the parts kept locally; parts already uploaded and removed locally count as staged.
public struct PartFlow: Sendable {
    /// Bounds the bytes of parts in the staging folder; nil: no bound.
    public var budget: LocalBudget?
    /// Receives each part once it is whole in the data folder (called on a compressing thread).
    public var closed: @Sendable (ClosedPart) -> Void
    /// Whether a part missing from the staging folder is stored intact in S3 (uploaded, then
    /// removed to keep within the budget).
    public var isStoredRemotely: @Sendable (StagedPart) -> Bool
    /// A table is about to be staged (again) under its staging key: the checkpoint drops any
    /// state recorded for other staged data of it (``CheckpointStore/adopt(table:key:dataFolder:)``).
    public var tableStarting: @Sendable (_ table: String, _ key: String, _ dataFolder: String) throws -> Void

    public init(budget: LocalBudget?, closed: @escaping @Sendable (ClosedPart) -> Void,
                isStoredRemotely: @escaping @Sendable (StagedPart) -> Bool,
                tableStarting: @escaping @Sendable (String, String, String) throws -> Void) {
        self.budget = budget
        self.closed = closed
        self.isStoredRemotely = isStoredRemotely
        self.tableStarting = tableStarting
    }
}
