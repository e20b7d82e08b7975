import Foundation
import SampleData
import Testing

@testable import SSTable

/// Mutation fuzzing of the row parser, Statistics.db and CompressionInfo.db on real SSTables,
/// for a bounded time (`C2D_FUZZ_SECONDS`, default 15). Every mutant must read or fail with an
/// `SSTableError`; a crash or hang fails the run. The seed is printed so a failure can be replayed
/// with `C2D_FUZZ_SEED`.
@Suite struct FuzzTests {
    static func mutate(_ input: [UInt8], _ rng: inout SampleRandom) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !bytes.isEmpty else { break }
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0: bytes[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            case 1: bytes[i] = [0x00, 0xFF, 0x7F, 0x80, 0x01][Int.random(in: 0..<5, using: &rng)]
            case 2: bytes[i] = UInt8.random(in: 0...255, using: &rng)
            case 3: bytes.removeSubrange(i..<min(bytes.count, i + Int.random(in: 1...16, using: &rng)))
            case 4: bytes.insert(contentsOf: (0..<Int.random(in: 1...8, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: i)
            case 5: bytes.removeSubrange(i...)
            default:
                let j = Int.random(in: 0..<bytes.count, using: &rng)
                bytes.insert(contentsOf: bytes[min(i, j)..<max(i, j)].prefix(64), at: j)
            }
        }
        return bytes
    }

    @Test(SharedCorpus.required) func mutatedSSTablesNeverCrash() throws {
        let env = ProcessInfo.processInfo.environment
        let seconds = Double(env["C2D_FUZZ_SECONDS"] ?? "") ?? 15
        let seed = UInt64(env["C2D_FUZZ_SEED"] ?? "") ?? UInt64(Date().timeIntervalSince1970 * 1000)
        print("fuzz: seed \(seed), \(seconds) s")
        var rng = SampleRandom(seed: seed)

        // Targets: an uncompressed Data.db (no checksums, so mutations reach the row parser),
        // Statistics.db without CRCs (mc), and CompressionInfo.db.
        var targets: [(folder: URL, file: String, original: [UInt8])] = []
        for (version, table) in [("mc", "clust"), ("mc", "inaccurate_min_max"), ("mc", "clust_counter"), ("nb", "simple")] {
            let (folder, d) = try BadInputTests.copyOf(version, table)
            try SSTableRewriter.recompress(d, with: nil)
            for extra in ["CRC.db", "Digest.crc32"] { try? FileManager.default.removeItem(atPath: d.path(extra)) }
            for file in ["Data.db", "Statistics.db"] {
                targets.append((folder, d.path(file), Array(try Data(contentsOf: URL(fileURLWithPath: d.path(file))))))
            }
        }
        let (cFolder, cd) = try BadInputTests.copyOf("mc", "clust")
        targets.append((cFolder, cd.path("CompressionInfo.db"), Array(try Data(contentsOf: URL(fileURLWithPath: cd.path("CompressionInfo.db"))))))

        let deadline = Date().addingTimeInterval(seconds)
        var runs = 0, failures = 0
        while Date() < deadline {
            let t = targets[Int.random(in: 0..<targets.count, using: &rng)]
            let mutant = Self.mutate(t.original, &rng)
            try Data(mutant).write(to: URL(fileURLWithPath: t.file))
            do {
                _ = try ConformanceTests.dump(t.folder.path, schema: nil)
            } catch let error as SSTableError {
                failures += 1
                #expect(!error.description.contains("\n"))
            } catch {
                Issue.record("seed \(seed): \(t.file): error that is not an SSTableError: \(error)")
            }
            try Data(t.original).write(to: URL(fileURLWithPath: t.file))
            runs += 1
        }
        print("fuzz: \(runs) mutants, \(failures) rejected with an SSTableError, none crashed")
        #expect(runs > 0)
    }
}
