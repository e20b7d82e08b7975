import Foundation
import TestSupport
import Testing

/// A numeric option out of range stops the built binary before any work with exit status 64
/// (EX_USAGE) and one sentence naming the option, the values it takes and the value given; never a
/// crash, never a run to "success".
struct OptionRangeTests {
    /// A path that does not exist (a buggy run could create it: unique per test run).
    static let missing = NSTemporaryDirectory() + "c2d-absent-\(UUID().uuidString)"

    /// Arguments, and the first line the binary must print on stderr.
    static let cases: [([String], String)] = [
        (["extract", "--source", missing, "--out", missing, "--part-size", "nan"],
         "--part-size must be a number of MiB greater than 0 and at most 4096 (got nan)"),
        (["extract", "--source", missing, "--out", missing, "--part-size", "inf"],
         "--part-size must be a number of MiB greater than 0 and at most 4096 (got inf)"),
        (["extract", "--source", missing, "--out", missing, "--part-size", "-1"],
         "--part-size must be a number of MiB greater than 0 and at most 4096 (got -1)"),
        (["extract", "--source", missing, "--out", missing, "--part-size=0"],
         "--part-size must be a number of MiB greater than 0 and at most 4096 (got 0)"),
        (["extract", "--source", missing, "--out", missing, "--part-size", "1e300"],
         "--part-size must be a number of MiB greater than 0 and at most 4096 (got 1e+300)"),
        (["extract", "--source", missing, "--out", missing, "--compression-level", "13"],
         "--compression-level must be a whole number from 1 to 12 (got 13)"),
        (["extract", "--source", missing, "--out", missing, "--compression", "zstd", "--compression-level", "0"],
         "--compression-level must be a whole number from 1 to 19 (got 0)"),
        (["migrate", "--source", missing, "--staging", missing, "--s3", "s3://bucket/p", "--mode", "batch", "--compression", "none",
          "--compression-level", "3"],
         "--compression-level takes no value with --compression none"),
        (["extract", "--source", missing, "--out", missing, "--jobs", "0"],
         "--jobs must be a whole number from 1 to 256 (got 0)"),
        (["extract", "--source", missing, "--out", missing, "--now", "-1"],
         "--now must be a whole number from 0 to 4294967295 (got -1)"),
        (["extract", "--source", missing, "--out", missing, "--max-rows-per-second", "0"],
         "--max-rows-per-second must be a number of rows per second greater than 0 and at most 1000000000 (got 0)"),
        (["migrate", "--source", missing, "--staging", missing, "--s3", "s3://bucket/p", "--mode", "batch", "--max-rows-per-second", "nan"],
         "--max-rows-per-second must be a number of rows per second greater than 0 and at most 1000000000 (got nan)"),
        (["migrate", "--source", missing, "--staging", missing, "--s3", "s3://bucket/p", "--mode", "batch", "--part-size", "-0.5"],
         "--part-size must be a number of MiB greater than 0 and at most 4096 (got -0.5)"),
        (["migrate", "--source", missing, "--staging", missing, "--s3", "s3://bucket/p", "--mode", "batch", "--max-wcu", "0"],
         "--max-wcu must be a number of write units per second from 1 to 1000000 (got 0)"),
        (["migrate", "--source", missing, "--staging", missing, "--s3", "s3://bucket/p", "--mode", "batch", "--max-wcu", "-5"],
         "--max-wcu must be a number of write units per second from 1 to 1000000 (got -5)"),
        (["migrate", "--source", missing, "--staging", missing, "--s3", "s3://bucket/p", "--mode", "batch", "--concurrency", "-1"],
         "--concurrency must be a whole number from 1 to 256 (got -1)"),
        (["migrate", "--source", missing, "--staging", missing, "--s3", "s3://bucket/p", "--mode", "batch", "--now", "-86400"],
         "--now must be a whole number from 0 to 4294967295 (got -86400)"),
        (["migrate", "--source", missing, "--staging", missing, "--s3", "s3://bucket/p", "--mode", "import", "--import-poll", "0"],
         "--import-poll must be a number of seconds greater than 0 and at most 3600 (got 0)"),
        (["load", "--from", missing, "--mode", "batch", "--max-wcu", "inf"],
         "--max-wcu must be a number of write units per second from 1 to 1000000 (got inf)"),
        (["load", "--from", missing, "--mode", "batch", "--concurrency", "0"],
         "--concurrency must be a whole number from 1 to 256 (got 0)"),
        (["load", "--from", "s3://bucket/p", "--mode", "import", "--import-poll", "nan"],
         "--import-poll must be a number of seconds greater than 0 and at most 3600 (got nan)"),
        (["upload", "--staging", missing, "--to", "s3://bucket/p", "--concurrency", "0"],
         "--concurrency must be a whole number from 1 to 256 (got 0)"),
        (["validate", "--from", missing, "--segments", "-2"],
         "--segments must be a whole number from 1 to 256 (got -2)"),
        (["dump", missing, "--now", "-1"],
         "--now must be a whole number from 0 to 4294967295 (got -1)"),
        (["plan", "--schema", missing, "--now", "4294967296"],
         "--now must be a whole number from 0 to 4294967295 (got 4294967296)"),
        (["plan", "--schema", missing, "--price-import-gb", "-0.15"],
         "--price-import-gb must be US dollars from 0 to 1000000 (got -0.15)"),
        (["plan", "--schema", missing, "--price-write-million", "nan"],
         "--price-write-million must be US dollars from 0 to 1000000 (got nan)"),
        (["plan", "--schema", missing, "--price-storage-gb-month", "inf"],
         "--price-storage-gb-month must be US dollars from 0 to 1000000 (got inf)"),
        (["generate", "--out", missing, "--rows", "0"],
         "--rows must be a whole number from 1 to 1000000000 (got 0)"),
        (["generate", "--out", missing, "--sstables", "-1"],
         "--sstables must be a whole number from 1 to 32 (got -1)"),
        (["generate", "--out", missing, "--now", "0"],
         "--now must be a whole number from 31536000 to 4294967295 (got 0)"),
        (["agent", "init", "--dir", missing, "--port", "0"],
         "--port must be a whole number from 1 to 65535 (got 0)"),
        (["agent", "serve", "--config", missing, "--port", "-1"],
         "--port must be a whole number from 0 to 65535 (got -1)"),
        (["tasks", "create", "--agent", "a", "--path", missing, "--max-wcu", "0.5"],
         "--max-wcu must be a number of write units per second from 1 to 1000000 (got 0.5)"),
        (["tasks", "create", "--agent", "a", "--path", missing, "--rows-per-second", "-10"],
         "--rows-per-second must be a number of rows per second greater than 0 and at most 1000000000 (got -10)"),
    ]

    @Test(arguments: cases)
    func outOfRangeIsAUsageError(arguments: [String], message: String) async throws {
        let result = try await runProgram(try TestPaths.binary(), arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").first.map(String.init) == "Error: " + message, "\(arguments)")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Backtrac"), "\(result.stderr)")
    }

    /// The check lets the smallest useful values through: the run gets as far as the missing source.
    @Test func smallValidValuesPass() async throws {
        let result = try await runProgram(try TestPaths.binary(), [
            "extract", "--source", Self.missing, "--out", TempDir("options").path + "/stage", "--part-size", "0.00005", "--jobs", "1",
            "--now", "0",
        ])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("cass2dynamo: error: \(Self.missing)"), "\(result.stderr)")
    }
}
