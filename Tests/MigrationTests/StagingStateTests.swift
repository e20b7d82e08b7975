import DynamoMapping
import Foundation
import Synchronization
import TestSupport
import Testing
@testable import Migration

#if canImport(Glibc)
import Glibc
#endif

/// What a staging folder remembers between runs: the staging key of each table (design, options,
/// SSTables, `now`), repair of damaged parts, the checkpoint tied to the staged data, and the lock
/// that keeps two runs out of one folder.
@Suite struct StagingStateTests {
    static let shop = TestPaths.samples + "/shop"
    static let schema = try! String(contentsOfFile: TestPaths.samples + "/shop.cql", encoding: .utf8)

    static func options(prefix: String = "", now: Int64? = 1_700_000_000) -> ExtractOptions {
        var design = DesignOptions()
        design.tablePrefix = prefix
        return ExtractOptions(sources: [shop], schemaText: schema, partBytes: 2048, concurrency: 1, now: now, design: design)
    }

    /// Runs the extractor and returns the manifest and the (kind, table, message) of its events.
    static func extract(_ options: ExtractOptions, _ staging: String) throws -> (Manifest, [(String, String, String)]) {
        let events = Mutex<[(String, String, String)]>([])
        let sink = ProgressSink { e in events.withLock { $0.append((e.kind.rawValue, e.table ?? "", e.message ?? "")) } }
        let manifest = try Extractor(options: options).run(staging: staging, progress: sink)
        return (manifest, events.withLock { $0 })
    }

    @Test func anEditedDesignIsStagedAgainAndSaysSo() throws {
        let staging = TestPaths.temporaryFolder("restage")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let (first, _) = try Self.extract(Self.options(prefix: "a_"), staging)
        #expect(first.tables.map(\.design.table).sorted() == ["a_customers", "a_orders"])
        #expect(first.tables.allSatisfy { $0.stagingKey?.count == 64 })

        let (same, sameEvents) = try Self.extract(Self.options(prefix: "a_"), staging)
        #expect(same == first)
        #expect(sameEvents.filter { $0.0 == "skip" }.count == 2)

        let (renamed, events) = try Self.extract(Self.options(prefix: "b_"), staging)
        #expect(renamed.tables.map(\.design.table).sorted() == ["b_customers", "b_orders"])
        #expect(events.filter { $0.0 == "warning" && $0.2.contains("staging it again") }.count == 2)
        #expect(!FileManager.default.fileExists(atPath: staging + "/tables/a_orders"))
        #expect(Set(renamed.tables.compactMap(\.stagingKey)).isDisjoint(with: first.tables.compactMap(\.stagingKey)))

        // Another --now judges TTLs differently: staged again.
        let (later, laterEvents) = try Self.extract(Self.options(prefix: "b_", now: 1_800_000_000), staging)
        #expect(later.now == 1_800_000_000)
        #expect(laterEvents.filter { $0.0 == "warning" }.count == 2)
    }

    @Test func theFirstRunsTimeIsKeptByLaterRuns() throws {
        let staging = TestPaths.temporaryFolder("now")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let (first, _) = try Self.extract(Self.options(now: nil), staging)
        let chosen = try #require(first.now)
        #expect(abs(chosen - Int64(Date().timeIntervalSince1970)) < 60)
        sleep(1)
        let (second, events) = try Self.extract(Self.options(now: nil), staging)
        #expect(second.now == chosen)
        #expect(events.filter { $0.0 == "skip" }.count == 2)
    }

    @Test func aDamagedOrMissingPartIsStagedAgain() throws {
        let staging = TestPaths.temporaryFolder("repair")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let (first, _) = try Self.extract(Self.options(), staging)
        let damaged = first.tables[0].parts[0]
        var bytes = try FileSystem.read(staging + "/" + damaged.file)
        bytes[bytes.count / 2] ^= 0xFF
        try AtomicFile.write(bytes, to: staging + "/" + damaged.file)
        let missing = first.tables[1].parts[0]
        FileSystem.remove(staging + "/" + missing.file)

        let (repaired, events) = try Self.extract(Self.options(), staging)
        #expect(events.filter { $0.0 == "warning" && $0.2.contains("staging it again") }.map(\.1).sorted() == first.tables.map(\.source).sorted())
        for table in repaired.tables {
            for part in table.parts { _ = try PartReader.readVerified(part, staging: staging) }
        }
        #expect(repaired.tables.map(\.items) == first.tables.map(\.items))
    }

    @Test func theCheckpointForgetsATableStagedAgain() throws {
        let staging = TestPaths.temporaryFolder("adopt")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let (first, _) = try Self.extract(Self.options(), staging)
        let store = try CheckpointStore(staging: staging)
        #expect(try store.adopt(first).sorted() == first.tables.map(\.design.table).sorted())
        let table = first.tables[0]
        try store.update { c in
            c.loadedParts[table.design.table] = table.parts.map(\.file)
            c.loadedTables = [table.design.table]
            c.uploaded[table.parts[0].file] = "s3://b/k \"etag\""
            c.validated[table.design.table] = ValidationReport(table: table.design.table)
        }
        #expect(try store.adopt(first).isEmpty)
        #expect(store.value.loadedTables == [table.design.table])

        let (restaged, _) = try Self.extract(Self.options(now: 1_700_000_001), staging)
        #expect(try CheckpointStore(staging: staging).adopt(restaged).count == 2)
        let after = try CheckpointStore(staging: staging).value
        #expect(after.loadedTables.isEmpty && after.loadedParts.isEmpty && after.uploaded.isEmpty && after.validated.isEmpty)
    }

    @Test func aCheckpointOfAnEarlierVersionStillReads() throws {
        let staging = TestPaths.temporaryFolder("oldcheckpoint")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        try FileSystem.makeFolder(staging)
        try AtomicFile.write(Array(#"""
            {"uploaded": {"tables/t/data/part-00001.json.gz": "s3://b/k \"e\""}, "multipartUploads": {}, "loadedParts": {"t": ["x"]},
             "imports": {}, "ttlApplied": [], "loadedTables": ["t"], "validatedTables": ["t"]}
            """#.utf8), to: staging + "/checkpoint.json")
        let value = try CheckpointStore(staging: staging).value
        #expect(value.loadedTables == ["t"] && value.loadedParts == ["t": ["x"]] && value.validated.isEmpty)
    }

    @Test func aSecondRunIsRefusedNamingTheHolder() throws {
        let staging = TestPaths.temporaryFolder("lock")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let held = try StagingLock(folder: staging)
        // Another task of this process is refused too (the lock belongs to the open file, not the process).
        #expect { try StagingLock(folder: staging) } throws: { "\($0)".contains("in use by another run (pid \(getpid()))") }
        withExtendedLifetime(held) {}
    }

    @Test func aLockHeldByAnotherProcessIsRefusedAndAStaleOneTakenOver() async throws {
        let staging = TestPaths.temporaryFolder("lock2")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        try FileSystem.makeFolder(staging)
        // Python's fcntl.lockf takes a POSIX record lock, which conflicts with ours.
        let script = """
            import fcntl, os, sys, time
            f = open(sys.argv[1], "a+")
            fcntl.lockf(f, fcntl.LOCK_EX)
            f.truncate(0); f.write(str(os.getpid()) + "\\n"); f.flush()
            print("locked", flush=True)
            time.sleep(300)
            """
        let holder = try await ChildProcess("/usr/bin/env", ["python3", "-c", script, staging + "/" + StagingLock.fileName])
        let deadline = Date().addingTimeInterval(120)
        while !holder.output.contains("locked") && holder.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        try #require(holder.output.contains("locked"), "python did not take the lock: \(holder.errorOutput)")
        #expect { try StagingLock(folder: staging) } throws: { "\($0)".contains("(pid \(holder.pid))") }
        // The command line says so in one line and fails, before reading anything.
        let cli = try await runProgram(try TestPaths.binary(), ["extract", "--source", Self.shop, "--schema", TestPaths.samples + "/shop.cql", "--out", staging])
        #expect(cli.status == 1)
        #expect(cli.stderr.contains("staging folder \(staging) is in use by another run (pid \(holder.pid))"), "\(cli.stderr)")
        #expect(!FileManager.default.fileExists(atPath: staging + "/manifest.json"))
        await holder.kill9()
        _ = await holder.wait()
        // The holder died: its PID is still in the file, but the lock is free.
        let taken = try StagingLock(folder: staging)
        #expect(String(decoding: try FileSystem.read(taken.path), as: UTF8.self) == "\(getpid())\n")
    }
}
