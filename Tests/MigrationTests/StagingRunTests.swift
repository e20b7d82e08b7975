import DynamoMapping
import Foundation
import Synchronization
import TestSupport
import Testing
@testable import Migration

/// Extraction alone (`cass2dynamo extract`, an agent's staging task): paced reading, a prompt
/// stop, a resume at the first run's time, and the check of the staged parts against the manifest.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.cassandra) || TestPaths.isCI, "needs ../shared/sstables/cassandra"))
struct StagingRunTests {
    /// `generate --profile counters` (stats.page_views in 2 SSTables, about 250 live rows) beside
    /// the shared legacy_mc_simple (5 rows): extraction options of both, and the page_views
    /// rows the generator expects.
    static func countersAndSimple() async throws -> (data: TempDir, options: ExtractOptions, expectedRows: Int) {
        let data = TempDir()
        let generated = try await runProgram(try TestPaths.binary(), ["generate", "--profile", "counters", "--rows", "300", "--seed", "21",
                                                                     "--sstables", "2", "--out", data.path])
        #expect(generated.status == 0, "\(generated.stderr)")
        let schema = try String(contentsOfFile: data.path + "/schema.cql", encoding: .utf8)
            + "\nCREATE TABLE legacy_tables.legacy_mc_simple (pk text PRIMARY KEY, val text);\n"
        let options = ExtractOptions(sources: [data.path + "/stats", TestPaths.cassandra + "/mc/legacy_tables/legacy_mc_simple"], schemaText: schema,
                                     partBytes: 8 << 10, concurrency: 2, now: 1_700_000_000)
        let rows = try String(contentsOfFile: data.path + "/expected/stats.page_views.jsonl", encoding: .utf8).split(separator: "\n").count
        return (data, options, rows)
    }

    /// Two tables read at once under 400 rows/s take their rows' worth of time (unpaced:
    /// milliseconds); at 50 rows/s a stop is honoured at the next row, not at the end of the table.
    @Test func pacedReadingKeepsThePaceOfAllTablesAndStopsAtOnce() async throws {
        let (data, unpaced, rows) = try await Self.countersAndSimple()
        var options = unpaced
        options.maxRowsPerSecond = 400
        let started = Date()
        let paced = try await StagingRun.run(options, staging: TempDir().path)
        let seconds = Date().timeIntervalSince(started)
        #expect(paced.manifest.tables.map(\.rows).sorted() == [5, rows])
        #expect(seconds >= Double(rows + 5) / 400, "\(rows + 5) rows in \(seconds) s")

        let stop = StopSignal()
        let stopped = Mutex<Date?>(nil)
        let stopping = Task {
            try await Task.sleep(for: .milliseconds(500))
            stopped.withLock { $0 = Date() }
            stop.stop()
        }
        // Slow enough that a loaded machine, late to deliver the stop, is still inside the table.
        options.maxRowsPerSecond = 50
        await #expect(throws: Stopped.self) { _ = try await StagingRun.run(options, staging: TempDir().path, stop: stop) }
        _ = await stopping.result
        let late = Date().timeIntervalSince(try #require(stopped.withLock { $0 }))
        // The rest of the table would take 4 s; the next row comes within 0.02 s.
        #expect(late < 1, "ended \(late) s after the stop")
        withExtendedLifetime(data) {}
    }

    /// A run stopped inside its first table, when no table is staged yet, has saved the time TTLs
    /// are judged at: resumed without one, after some rows' TTLs expired, it stages exactly what a
    /// run that never stopped stages.
    @Test func aRunStoppedInItsFirstTableResumesAtItsTime() async throws {
        // The generator writes about 30 days before its --now; the iot profile's rows with a
        // 180-day TTL expire 150 days after it.
        let generatedAt: Int64 = 1_700_000_000
        let expiry = generatedAt + 150 * 86400
        let data = TempDir()
        let generated = try await runProgram(try TestPaths.binary(), [
            "generate", "--profile", "iot", "--rows", "3000", "--seed", "5", "--sstables", "2", "--now", String(generatedAt), "--out", data.path])
        #expect(generated.status == 0, "\(generated.stderr)")
        let schema = try String(contentsOfFile: data.path + "/schema.cql", encoding: .utf8)
        func options(_ now: Int64?, pace: Double? = nil) -> ExtractOptions {
            var options = ExtractOptions(sources: [data.path], schemaText: schema, partBytes: 64 << 10, now: now)
            options.maxRowsPerSecond = pace
            return options
        }
        let (before, after) = (expiry - 3600, expiry + 3600)
        let clean = try await StagingRun.run(options(before), staging: TempDir().path).manifest
        let beyond = try await StagingRun.run(options(after), staging: TempDir().path).manifest
        // The test can fail: judged an hour past the expiry, rows are gone.
        #expect(beyond.items < clean.items, "no row expired; the test proves nothing")

        // Stopped at its first progress report (0.5 s at 2,000 rows/s, about a third of the rows).
        let staging = TempDir()
        let stop = StopSignal()
        let sink = ProgressSink { if $0.kind == .progress { stop.stop() } }
        await #expect(throws: Stopped.self) { _ = try await StagingRun.run(options(before, pace: 2000), staging: staging.path, stop: stop, progress: sink) }
        let left = try Manifest.load(staging: staging.path)
        #expect(left.tables.isEmpty && left.now == before)
        // Resumed as an agent task is, with no time given (today is long past the expiry).
        let resumed = try await StagingRun.run(options(nil), staging: staging.path).manifest
        #expect(resumed.now == before)
        #expect(resumed.tables.map(\.parts) == clean.tables.map(\.parts))
    }

    /// The check of a staging-only run re-reads every part against the manifest: the items of
    /// the source; a part changed after staging is refused by name; a manifest whose table count
    /// is not its parts' is a mismatch.
    @Test func theStagedCheckRereadsEveryPartAgainstTheManifest() async throws {
        let (data, options, rows) = try await Self.countersAndSimple()
        let staging = TempDir()
        let summary = try await StagingRun.run(options, staging: staging.path, check: true)
        #expect(summary.validations.map(\.table).sorted() == ["legacy_mc_simple", "page_views"])
        #expect(summary.validations.allSatisfy { $0.isMatch }, "\(summary.validations)")
        #expect(summary.validations.map(\.targetItems).sorted() == [5, rows])
        let views = try #require(summary.manifest.tables.first { $0.design.table == "page_views" })
        #expect(views.parts.count > 1)

        var miscounted = views
        miscounted.items += 1
        let report = try StagedCheck.validate(miscounted, staging: staging.path)
        #expect(!report.isMatch && report.targetItems == rows && report.expectedItems == rows + 1)

        let part = views.parts[1]
        var bytes = try FileSystem.read(staging.path + "/" + part.file)
        bytes[bytes.count / 2] ^= 0xFF
        try AtomicFile.write(bytes, to: staging.path + "/" + part.file)
        #expect { try StagedCheck.validate(views, staging: staging.path) } throws: {
            "\($0)" == "\(staging.path)/\(part.file): SHA-256 \(PartReader.sha256Hex(bytes)) differs from the manifest's \(part.sha256) (damaged part)"
        }
        withExtendedLifetime(data) {}
    }

    /// The report's outcome is on the wire as `match`; decoding ignores it.
    @Test func theReportCarriesItsOutcome() throws {
        var report = ValidationReport(table: "t", expectedItems: 3, targetItems: 3)
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        #expect(json["match"] as? Bool == true && json["table"] as? String == "t" && json["expectedItems"] as? Int == 3)
        report.noteMissing("k")
        let again = try JSONDecoder().decode(ValidationReport.self, from: JSONEncoder().encode(report))
        #expect(again == report && !again.isMatch)
        let wire = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        #expect(wire["match"] as? Bool == false && wire["missing"] as? [String] == ["k"])
    }
}
