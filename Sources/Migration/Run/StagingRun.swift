import Foundation

/// Extraction alone: what `cass2dynamo extract` runs, and an agent task with a staging target.
public enum StagingRun {
    /// Checks the DynamoDB table names the designs give, locks `staging` and stages every table
    /// not already staged intact there (``Extractor``); with `check`, then re-reads every staged
    /// table against the manifest (``StagedCheck``, the summary's `validations`), still holding
    /// the lock. Runs on a thread of its own.
    public static func run(_ options: ExtractOptions, staging: String, check: Bool = false, stop: StopSignal = StopSignal(),
                           progress: ProgressSink = .none) async throws -> MigrationSummary {
        try await onOwnThread {
            let started = Date()
            _ = try Preflight.tableNames(options)
            let lock = try StagingLock(folder: staging)
            defer { withExtendedLifetime(lock) {} }
            let manifest = try Extractor(options: options).run(staging: staging, stop: stop, progress: progress)
            var summary = MigrationSummary(manifest: manifest, estimate: CostEstimate(manifest))
            summary.extractSeconds = Date().timeIntervalSince(started)
            guard check else { return summary }
            let checked = Date()
            summary.validations = try manifest.tables.map { try StagedCheck.validate($0, staging: staging, stop: stop, progress: progress) }
            summary.validateSeconds = Date().timeIntervalSince(checked)
            return summary
        }
    }
}
