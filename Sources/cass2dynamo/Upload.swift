import AWS
import ArgumentParser
import DynamoModel
import Foundation
import Migration

/// `cass2dynamo upload`: staged parts → S3, resumable.
struct Upload: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Upload staged parts to S3 (verified first; parts already stored intact are skipped).")

    @Option(help: "Staging folder.", completion: .directory)
    var staging: String

    @Option(help: ArgumentHelp("Destination.", valueName: "s3://BUCKET/PREFIX"))
    var to: String

    @Option(parsing: .unconditional, help: "Parts uploaded at once.")
    var concurrency: Int = 4

    @Flag(name: .customLong("create-bucket"), help: "Create the bucket if it does not exist.")
    var createBucket = false

    @OptionGroup var common: MigrationCommonOptions

    func validate() throws {
        try OptionCheck.whole(concurrency, "--concurrency", OptionCheck.parallelism)
        try OptionCheck.s3Location(to, "--to")
    }

    func run() async throws {
        let location = try S3Location(url: to)
        let (staging, common, concurrency, createBucket) = (self.staging, self.common, self.concurrency, self.createBucket)
        let stop = MigrationCLI.stopOnInterrupt()
        try await reportingErrors {
            let lock = try StagingLock(folder: staging)
            defer { withExtendedLifetime(lock) {} }
            let manifest = try Manifest.load(staging: staging)
            guard !manifest.tables.isEmpty else { throw CLIError("\(staging): nothing staged (no manifest.json)") }
            let checkpoint = try CheckpointStore(staging: staging)
            try checkpoint.adopt(manifest)
            let s3 = try common.s3()
            let report = try await shuttingDown([s3]) {
                try await Preflight.checkBucket(location, s3: s3, createBucket: createBucket)
                return try await Uploader(s3: s3, layout: S3Layout(root: location, tokenRange: manifest.tables.first?.tokenRange), concurrency: concurrency, createBucket: createBucket)
                    .upload(manifest, staging: staging, checkpoint: checkpoint, stop: stop, progress: common.sink())
            }
            if !common.isJSON {
                MigrationCLI.writeLine(1, "uploaded \(report.uploaded) parts, skipped \(report.skipped) already stored; \(location)")
            }
        }
    }
}
