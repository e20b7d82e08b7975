import Foundation
import TestSupport
import Testing

/// The staging folder is `--staging` in every command; the older spellings (`extract --out`,
/// `load/validate --from DIR`) are still taken and do the same; choice options name their values.
struct StagingOptionTests {
    /// A staging folder that does not exist (unique per test run).
    static let missing = NSTemporaryDirectory() + "c2d-absent-stage-\(UUID().uuidString)"
    static let source = NSTemporaryDirectory() + "c2d-absent-source-\(UUID().uuidString)"
    /// Credentials and an endpoint nobody listens on: the run gets as far as reading the staging folder.
    static let aws = ["AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"]
    static let endpoint = ["--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9"]

    @Test(arguments: ["--staging", "--out"])
    func extractTakesBothNames(option: String) async throws {
        let result = try await runProgram(try TestPaths.binary(), ["extract", "--source", Self.source, option, Self.missing])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("cass2dynamo: error: \(Self.source)"), "\(result.stderr)")
    }

    @Test(arguments: [["load", "--mode", "batch"], ["validate"]], ["--staging", "--from"])
    func loadAndValidateTakeBothNames(command: [String], option: String) async throws {
        let result = try await runProgram(try TestPaths.binary(), command + [option, Self.missing] + Self.endpoint, environment: Self.aws)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr == "cass2dynamo: error: \(Self.missing): nothing staged (no manifest.json)\n", "\(result.stderr)")
    }

    @Test(arguments: [
        (["extract", "--source", source, "--out", missing, "--staging", missing], "give the staging folder once: --out is the older name of --staging"),
        (["extract", "--source", source], "give the staging folder: --staging DIR"),
        (["load", "--mode", "batch", "--from", missing, "--staging", missing], "give the staging folder once: --from DIR is the older spelling of --staging DIR"),
        (["validate"], "give the staging folder (--staging DIR) or the S3 location of the staged data (--from s3://BUCKET/PREFIX)"),
        (["migrate", "--source", source, "--staging", missing, "--s3", "s3://bucket/p", "--mode", "upsert"],
         "The value 'upsert' is invalid for '--mode <mode>'. Please provide one of 'import' and 'batch'."),
        (["plan", "--schema", source, "--statics", "rows"], "The value 'rows' is invalid for '--statics <statics>'. Please provide one of 'copy' and 'item'."),
        (["plan", "--schema", source, "--timestamps", "unix"],
         "The value 'unix' is invalid for '--timestamps <timestamps>'. Please provide one of 'epoch_ms' and 'iso8601'."),
        (["tasks", "create", "--agent", "a", "--path", source, "--target", "s3"],
         "The value 's3' is invalid for '--target <target>'. Please provide one of 'staging' and 'dynamodb'."),
    ])
    func wrongSpellingIsAUsageError(arguments: [String], message: String) async throws {
        let result = try await runProgram(try TestPaths.binary(), arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").first.map(String.init) == "Error: " + message, "\(arguments)")
        #expect(!FileManager.default.fileExists(atPath: Self.missing))
    }
}
