import Foundation
import TestSupport
import Testing

/// `dump --token-share I/N`: shares 1…N of a generated table, printed by the built binary, are
/// its whole dump byte for byte; a bad share is a usage error; a table without Murmur3 tokens is
/// a one-line error.
struct TokenShareCLITests {
    @Test func sharesConcatenateToTheWholeDump() async throws {
        let dir = TempDir("token-share")
        let binary = try TestPaths.binary()
        let generated = try await runProgram(binary, [
            "generate", "--profile", "users", "--rows", "3000", "--sstables", "3", "--out", dir.path, "--now", "1750000000",
        ])
        #expect(generated.status == 0, "\(generated.stderr)")
        let dump = ["dump", dir.path, "--schema", dir.path + "/schema.cql", "--now", "1750000000"]
        let whole = try await runProgram(binary, dump)
        #expect(whole.status == 0 && whole.text.split(separator: "\n").count > 1000, "\(whole.stderr)")
        for n in [2, 3] {
            var joined = ""
            for i in 1...n {
                let share = try await runProgram(binary, dump + ["--token-share", "\(i)/\(n)"])
                #expect(share.status == 0 && share.stderr.isEmpty, "\(i)/\(n): \(share.stderr)")
                #expect(!share.text.isEmpty)
                joined += share.text
            }
            #expect(joined == whole.text, "\(n) shares")
        }
        let bad = try await runProgram(binary, dump + ["--token-share", "4/3"])
        #expect(bad.status == 64 && bad.stderr.hasPrefix("Error: The value '4/3' is invalid for '--token-share <I/N>': expected I/N with 1 ≤ I ≤ N, e.g. 2/3"),
                "\(bad.stderr)")
    }

    /// `migrate --token-share-from-env VAR/N` (Kubernetes Indexed Jobs, AWS Batch array jobs):
    /// the variable's 0-based index + 1 is the share, staged as `--token-share` stages it; an unset
    /// or out-of-range variable is a usage error naming it.
    @Test func indexedJobsTakeTheirShareFromTheEnvironment() async throws {
        let dir = TempDir("token-share-env")
        let binary = try TestPaths.binary()
        let generated = try await runProgram(binary, ["generate", "--profile", "iot", "--rows", "500", "--sstables", "1", "--out", dir.path,
                                                      "--now", "1750000000"])
        try #require(generated.status == 0, "\(generated.stderr)")
        let aws = ["AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1"]
        func migrate(_ share: [String], _ env: [String: String], staging: String) async throws -> ProgramResult {
            try await runProgram(binary, ["migrate", "--source", dir.path, "--schema", dir.path + "/schema.cql", "--staging", staging,
                                          "--s3", "s3://bucket/p", "--mode", "batch", "--dry-run", "--now", "1750000000", "--progress", "none"] + share,
                                 environment: aws.merging(env) { $1 })
        }
        let given = try await migrate(["--token-share", "3/4"], [:], staging: dir.path + "/given")
        let fromEnv = try await migrate(["--token-share-from-env", "JOB_COMPLETION_INDEX/4"], ["JOB_COMPLETION_INDEX": "2"], staging: dir.path + "/env")
        #expect(given.status == 0 && fromEnv.status == 0, "\(given.stderr)\(fromEnv.stderr)")
        func ranges(_ staging: String) throws -> [String] {
            let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: staging + "/manifest.json"))) as? [String: Any])
            return try (manifest["tables"] as? [[String: Any]] ?? []).map { table in
                guard let range = table["tokenRange"] else { return "none" }
                return String(decoding: try JSONSerialization.data(withJSONObject: range, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
            }
        }
        let expected = try ranges(dir.path + "/given")
        let taken = try ranges(dir.path + "/env")
        #expect(!expected.isEmpty && !expected.contains("none") && taken == expected, "\(taken) vs \(expected)")
        let unset = try await migrate(["--token-share-from-env", "JOB_COMPLETION_INDEX/4"], [:], staging: dir.path + "/unset")
        #expect(unset.status == 64 && unset.stderr.contains("JOB_COMPLETION_INDEX is not set"), "\(unset.stderr)")
        let beyond = try await migrate(["--token-share-from-env", "AWS_BATCH_JOB_ARRAY_INDEX/4"], ["AWS_BATCH_JOB_ARRAY_INDEX": "4"], staging: dir.path + "/beyond")
        #expect(beyond.status == 64 && beyond.stderr.contains("AWS_BATCH_JOB_ARRAY_INDEX is '4', not an index from 0 to 3"), "\(beyond.stderr)")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.cassandra), "needs ../shared/sstables/cassandra"))
    func otherPartitionersAreRefusedInOneLine() async throws {
        let result = try await runProgram(try TestPaths.binary(), [
            "dump", TestPaths.cassandra + "/nb/legacy_tables/legacy_nb_simple", "--token-share", "1/2",
        ])
        #expect(result.status == 1 && result.text.isEmpty)
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.contains("token ranges need Murmur3Partitioner"), "\(result.stderr)")
    }
}
