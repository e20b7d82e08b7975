import Foundation
import TestSupport
import Testing

/// `extract --max-rows-per-second` reads no faster than asked.
struct PacedExtractCLITests {
    /// About 250 generated rows at 200 rows/s take over a second (unpaced: a small fraction of one).
    @Test func maxRowsPerSecondPacesTheReading() async throws {
        let data = TempDir()
        let generated = try await runProgram(try TestPaths.binary(), ["generate", "--profile", "counters", "--rows", "300", "--seed", "22",
                                                                     "--sstables", "2", "--out", data.path])
        #expect(generated.status == 0, "\(generated.stderr)")
        let rows = (try String(contentsOfFile: data.path + "/expected/stats.page_views.jsonl", encoding: .utf8)).split(separator: "\n").count
        let started = Date()
        let result = try await runProgram(try TestPaths.binary(), [
            "extract", "--source", data.path + "/stats", "--schema", data.path + "/schema.cql", "--out", data.path + "/staging",
            "--max-rows-per-second", "200"])
        let seconds = Date().timeIntervalSince(started)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.text.contains("staged \(rows) rows"), "\(result.text)")
        #expect(seconds >= Double(rows) / 200, "\(rows) rows in \(seconds) s")
    }
}
