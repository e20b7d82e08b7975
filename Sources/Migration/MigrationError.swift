/// A staging, upload, load or validation problem: one line, naming the file or table concerned.
public struct StagingError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Errors of the migration layer share one type.
public typealias MigrationError = StagingError
