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
        #expect(bad.status == 64 && bad.stderr.hasPrefix("Error: --token-share must be I/N with 1 ≤ I ≤ N"), "\(bad.stderr)")
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
