import Foundation
import TestSupport
import Testing

/// An S3 bucket name or a `--table-prefix` that AWS would refuse is a usage error (exit status 64)
/// naming the rule, before any work: a bucket name is reported invalid, not missing.
struct NameRuleTests {
    /// A path that does not exist (a buggy run could create it: unique per test run).
    static let missing = NSTemporaryDirectory() + "c2d-absent-\(UUID().uuidString)"
    static let bucketRule = "S3 bucket names are 3 to 63 lowercase letters, digits, dots (.) and hyphens (-), start and end with a letter or digit, have no two dots in a row and are not an IP address"
    static let prefixRule = "letters, digits, underscores (_), dots (.) and hyphens (-), as DynamoDB table names are"

    static let cases: [([String], String)] = [
        (["migrate", "--source", missing, "--staging", missing, "--s3", "s3://My_Bucket/run", "--mode", "batch"],
         "--s3 s3://My_Bucket/run: the bucket name 'My_Bucket' is invalid: " + bucketRule),
        (["migrate", "--source", missing, "--staging", missing, "--s3", "s3://ab/run", "--mode", "batch"],
         "--s3 s3://ab/run: the bucket name 'ab' is invalid: " + bucketRule),
        (["upload", "--staging", missing, "--to", "s3://192.168.5.4/run"],
         "--to s3://192.168.5.4/run: the bucket name '192.168.5.4' is invalid: " + bucketRule),
        (["load", "--from", "s3://-bucket/run", "--mode", "import"],
         "--from s3://-bucket/run: the bucket name '-bucket' is invalid: " + bucketRule),
        (["load", "--from", missing, "--mode", "import", "--s3", "s3://my..bucket/run"],
         "--s3 s3://my..bucket/run: the bucket name 'my..bucket' is invalid: " + bucketRule),
        (["migrate", "--source", missing, "--staging", missing, "--s3", "s3://bucket/run", "--mode", "batch", "--table-prefix", "dev prefix_"],
         "--table-prefix must be at most 254 " + prefixRule + " (got 'dev prefix_')"),
        (["extract", "--source", missing, "--out", missing, "--table-prefix", "dev/"],
         "--table-prefix must be at most 254 " + prefixRule + " (got 'dev/')"),
        (["plan", "--schema", missing, "--table-prefix", "prod:"],
         "--table-prefix must be at most 254 " + prefixRule + " (got 'prod:')"),
    ]

    @Test(arguments: cases)
    func refusedNameIsAUsageError(arguments: [String], message: String) async throws {
        let result = try await runProgram(try TestPaths.binary(), arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").first.map(String.init) == "Error: " + message, "\(arguments)")
    }
}
