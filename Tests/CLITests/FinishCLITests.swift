import Foundation
import TestSupport
import Testing

/// Workers and `finish` against moto, as CLI processes: `migrate --token-share I/3` once per share
/// (separate staging folders, as on separate pods), then `finish --shares 3`; the DynamoDB table
/// read back with boto3 is compared with the generator's expected rows.
@Suite(.enabled(if: MotoServer.shouldRun, "needs moto_server and boto3"), .serialized)
struct FinishCLITests {
    static let now = "1750000000"

    /// A generated iot.readings table (TTLs, wide partitions, 2 SSTables) and its expected rows.
    struct Table {
        let dir: TempDir
        var expected: String { dir.path + "/expected/iot.readings.jsonl" }
        var rows: Int { (try? String(contentsOfFile: expected, encoding: .utf8))?.split(separator: "\n").count ?? 0 }
    }

    static func generate(rows: Int) async throws -> Table {
        let dir = TempDir("finish")
        let result = try await runProgram(try TestPaths.binary(), ["generate", "--profile", "iot", "--rows", String(rows), "--sstables", "2",
                                                                   "--out", dir.path, "--now", now])
        try #require(result.status == 0, "\(result.stderr)")
        return Table(dir: dir)
    }

    /// Runs the binary against moto.
    static func run(_ moto: MotoServer, _ arguments: [String]) async throws -> ProgramResult {
        try await runProgram(try TestPaths.binary(), arguments + ["--endpoint-url", moto.url, "--progress", "none"], environment: [
            "AWS_ACCESS_KEY_ID": "AKIDMOTOTEST", "AWS_SECRET_ACCESS_KEY": "motoSecretKeyForTests", "AWS_REGION": MotoServer.region,
        ])
    }

    /// `migrate` of share `i`/`n` of `table` into a staging folder of its own.
    static func share(_ moto: MotoServer, _ table: Table, _ i: Int, of n: Int, mode: String, staging: String,
                      now: [String] = ["--now", now]) async throws -> ProgramResult {
        try await run(moto, ["migrate", "--source", table.dir.path, "--schema", table.dir.path + "/schema.cql", "--staging", staging,
                             "--s3", "s3://stage/run", "--mode", mode, "--token-share", "\(i)/\(n)", "--concurrency", "1", "--yes"] + now)
    }

    static func finish(_ moto: MotoServer, mode: String, _ extra: [String] = []) async throws -> ProgramResult {
        try await run(moto, ["finish", "--s3", "s3://stage/run", "--shares", "3", "--mode", mode, "--import-poll", "0.1", "--yes"] + extra)
    }

    /// Key, size, ETag and modification time of every object in the bucket, as boto3 lists them.
    static func objects(_ moto: MotoServer) async throws -> [String] {
        String(decoding: try await moto.boto3("""
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket="stage"):
                for o in page.get("Contents", []): print(o["Key"], o["Size"], o["ETag"], o["LastModified"].isoformat())
            """), as: UTF8.self).split(separator: "\n").map(String.init).sorted()
    }

    static func tableNames(_ moto: MotoServer) async throws -> String {
        String(decoding: try await moto.boto3("print(ddb.list_tables()['TableNames'])"), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func check(_ moto: MotoServer, _ table: Table) async throws -> String {
        try await moto.checkTable(table: "readings", keys: ["sensor_id", "ts"], timestamps: ["ts"], expectedFile: table.expected)
    }

    /// Three import-mode shares stage and upload only (no table yet), each under its own folders;
    /// a share run again from a fresh staging folder, without --now, sends nothing; finish
    /// imports once and the table holds exactly the expected rows.
    @Test func importAcrossThreeShares() async throws {
        let table = try await Self.generate(rows: 3000)
        let staging = TempDir("finish-staging")
        try await MotoServer.with { moto in
            _ = try await moto.boto3("s3.create_bucket(Bucket='stage')")
            for i in 1...3 {
                let result = try await Self.share(moto, table, i, of: 3, mode: "import", staging: staging.path + "/\(i)")
                #expect(result.status == 0 && result.text.contains("staged share \(i)-of-3"), "\(result.stderr)\(result.text)")
            }
            #expect(try await Self.tableNames(moto) == "[]")
            let stored = try await Self.objects(moto)
            let keys = stored.map { String($0.split(separator: " ")[0]) }
            #expect(keys.filter { $0.hasPrefix("run/shares/") } == (1...3).map { "run/shares/\($0)-of-3/manifest.json" }, "\(keys)")
            for i in 1...3 {
                #expect(keys.contains { $0.hasPrefix("run/tables/readings/data/\(i)-of-3/part-") }, "\(keys)")
            }
            #expect(keys.allSatisfy { $0.hasPrefix("run/shares/") || $0.hasPrefix("run/tables/readings/data/") }, "\(keys)")

            // A pod restarted elsewhere: empty staging folder, the time taken from the share's manifest in S3.
            let again = try await Self.share(moto, table, 2, of: 3, mode: "import", staging: staging.path + "/2-again", now: [])
            #expect(again.status == 0 && again.text.contains(" 0 parts sent"), "\(again.stderr)\(again.text)")
            // Its parts are the objects they were (the manifest is written again).
            #expect(try await Self.objects(moto).filter { $0.hasPrefix("run/tables/") } == stored.filter { $0.hasPrefix("run/tables/") })

            let started = Date()
            let finished = try await Self.finish(moto, mode: "import")
            let seconds = Date().timeIntervalSince(started)
            #expect(finished.status == 0 && finished.text.contains("readings: OK"), "\(finished.stderr)\(finished.text)")
            print("finish --mode import of \(table.rows) rows in 3 shares: \(String(format: "%.2f", seconds)) s; \(finished.text)")
            let check = try await Self.check(moto, table)
            #expect(check == "OK \(table.rows)", "\(check)")

            // finish again, as on a new pod after the first one died: the import it recorded in S3
            // is waited for, not started again (the table exists), and the table validates.
            #expect(try await Self.objects(moto).contains { $0.hasPrefix("run/finish/imports.json ") })
            let resumed = try await Self.finish(moto, mode: "import")
            #expect(resumed.status == 0 && resumed.text.contains("readings: OK"), "\(resumed.stderr)\(resumed.text)")
            #expect(try await Self.check(moto, table) == "OK \(table.rows)")
        }
    }

    /// A share missing, then a part overwritten behind finish's back: each an error naming the
    /// share (and the object), no table created; the share run again, finish gives the exact table.
    /// Then a stray object under the import prefix is an error naming it.
    @Test func missingOrDamagedShareImportsNothing() async throws {
        let table = try await Self.generate(rows: 3000)
        let staging = TempDir("finish-damaged")
        try await MotoServer.with { moto in
            _ = try await moto.boto3("s3.create_bucket(Bucket='stage')")
            for i in [1, 3] {
                let result = try await Self.share(moto, table, i, of: 3, mode: "import", staging: staging.path + "/\(i)")
                #expect(result.status == 0, "\(result.stderr)")
            }
            let missing = try await Self.finish(moto, mode: "import")
            #expect(missing.status == 1 && missing.stderr.contains("share 2-of-3: no manifest at s3://stage/run/shares/2-of-3/manifest.json"),
                    "\(missing.stderr)")
            #expect(missing.stderr.split(separator: "\n").count == 1, "\(missing.stderr)")
            #expect(try await Self.tableNames(moto) == "[]")

            let second = try await Self.share(moto, table, 2, of: 3, mode: "import", staging: staging.path + "/2")
            #expect(second.status == 0, "\(second.stderr)")
            let damaged = String(decoding: try await moto.boto3("""
                keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="stage", Prefix="run/tables/readings/data/2-of-3/")["Contents"])
                body = s3.get_object(Bucket="stage", Key=keys[0])["Body"].read()
                s3.put_object(Bucket="stage", Key=keys[0], Body=body[:-1] + bytes([body[-1] ^ 1]))
                print(keys[0])
                """), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let bad = try await Self.finish(moto, mode: "import")
            #expect(bad.status == 1 && bad.stderr.contains("share 2-of-3: s3://stage/\(damaged) is damaged"), "\(bad.stderr)")
            #expect(try await Self.tableNames(moto) == "[]")

            let rerun = try await Self.share(moto, table, 2, of: 3, mode: "import", staging: staging.path + "/2-again")
            #expect(rerun.status == 0 && rerun.text.contains(" 1 parts sent"), "\(rerun.stderr)\(rerun.text)")
            let finished = try await Self.finish(moto, mode: "import")
            #expect(finished.status == 0, "\(finished.stderr)\(finished.text)")
            let check = try await Self.check(moto, table)
            #expect(check == "OK \(table.rows)", "\(check)")

            // An object under the import prefix that no share staged (a run with another N) is named.
            _ = try await moto.boto3("s3.put_object(Bucket='stage', Key='run/tables/readings/data/1-of-4/part-00001.json.gz', Body=b'x')")
            let stray = try await Self.finish(moto, mode: "batch")
            #expect(stray.status == 1 && stray.stderr.contains("s3://stage/run/tables/readings/data/1-of-4/part-00001.json.gz and 0 more objects under s3://stage/run/tables/readings/data/ are no part of the 3 shares' manifests"),
                    "\(stray.stderr)")
        }
    }

    /// Batch-mode shares load their rows; finish only validates the whole table (a deleted item
    /// is reported), and a --table-prefix other than the shares' is refused before anything.
    @Test func batchSharesThenFinishValidates() async throws {
        let table = try await Self.generate(rows: 2000)
        let staging = TempDir("finish-batch")
        try await MotoServer.with { moto in
            _ = try await moto.boto3("s3.create_bucket(Bucket='stage')")
            for i in 1...3 {
                let result = try await Self.share(moto, table, i, of: 3, mode: "batch", staging: staging.path + "/\(i)")
                #expect(result.status == 0, "\(result.stderr)")
            }
            let check = try await Self.check(moto, table)
            #expect(check == "OK \(table.rows)", "\(check)")
            let finished = try await Self.finish(moto, mode: "batch", ["--table-prefix", ""])
            #expect(finished.status == 0 && finished.text.contains("readings: OK — \(table.rows) items in the table, \(table.rows) staged by 3 shares"),
                    "\(finished.stderr)\(finished.text)")

            let prefixed = try await Self.finish(moto, mode: "batch", ["--table-prefix", "prod_"])
            #expect(prefixed.status == 1 && prefixed.stderr.contains("readings: the shares staged iot.readings as readings, not prod_readings"),
                    "\(prefixed.stderr)")

            _ = try await moto.boto3("""
                item = ddb.scan(TableName="readings", Limit=1)["Items"][0]
                ddb.delete_item(TableName="readings", Key={"sensor_id": item["sensor_id"], "ts": item["ts"]})
                """)
            let differs = try await Self.finish(moto, mode: "batch")
            #expect(differs.status == 1 && differs.text.contains("readings: DIFFERENT — \(table.rows - 1) items in the table, \(table.rows) staged by 3 shares; 1 missing"),
                    "\(differs.stderr)\(differs.text)")
        }
    }
}
