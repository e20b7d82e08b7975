import AWS
import DynamoMapping
import Foundation
import TestSupport
import Testing
@testable import Migration

#if canImport(Glibc)
import Glibc
#endif

/// The real binary is SIGKILLed at random points of extract, upload and load, then run again until
/// it finishes; the table must equal a clean run's and no part may have been uploaded twice.
@Suite(.enabled(if: MotoServer.shouldRun, "needs moto_server and boto3"), .serialized)
struct CrashResumeTests {
    /// Runs the binary; kills it with SIGKILL after `killAfter` seconds if given. Returns the exit status (nil if killed).
    static func run(_ args: [String], env: [String: String], killAfter: Double?) async throws -> Int32? {
        let process = try await ChildProcess(try TestPaths.binary(), args, environment: env)
        if let killAfter {
            let deadline = Date().addingTimeInterval(killAfter)
            while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(2)) }
            if process.isRunning {
                await process.kill9()
                return nil
            }
        }
        return await process.wait()
    }

    /// `bounded`: with `--max-local-gb` below one part, so parts leave the staging folder as soon
    /// as S3 holds them, and a resumed run finds some of them only in S3.
    @Test(arguments: [false, true])
    func killedRunsResumeToTheCleanResult(bounded: Bool) async throws {
        let root = TestPaths.cassandra
        let schemaFile = "\(root)/expected/ma/schema.cql"
        let sources = ["simple", "simple_counter", "simple_compact", "simple_counter_compact"].map { "\(root)/ma/legacy_tables/legacy_ma_\($0)" }
        try await MotoServer.with { moto in
            _ = try await moto.boto3("s3.create_bucket(Bucket='crash')")
            let env = ["AWS_ENDPOINT_URL": moto.url, "AWS_ACCESS_KEY_ID": "AKIDCRASH", "AWS_SECRET_ACCESS_KEY": "secret",
                       "AWS_REGION": MotoServer.region]
            func args(_ staging: String, _ prefix: String) -> [String] {
                ["migrate", "--source"] + sources + ["--schema", schemaFile, "--staging", staging, "--s3", "s3://crash/\(prefix)",
                 "--mode", "batch", "--table-prefix", prefix + "_", "--part-size", "0.00005", "--concurrency", "2", "--now", "1700000000",
                 "--yes", "--progress", "none"] + (bounded ? ["--max-local-gb", "0.000001"] : [])
            }
            // A clean run.
            let cleanStaging = TestPaths.temporaryFolder("clean")
            defer { try? FileManager.default.removeItem(atPath: cleanStaging) }
            #expect(try await Self.run(args(cleanStaging, "clean"), env: env, killAfter: nil) == 0)
            // A run killed again and again at random points, resumed until it finishes.
            let staging = TestPaths.temporaryFolder("crash")
            defer { try? FileManager.default.removeItem(atPath: staging) }
            var kills = 0
            var finished = false
            var delay = 0.02
            var random = TestSeed.generator()
            // Random kill points, growing so later ones land in upload and load; after 12 kills, run to the end.
            for attempt in 0..<30 {
                let killAfter = attempt < 12 ? Double.random(in: 0.01...delay, using: &random) : nil
                let status = try await Self.run(args(staging, "crash"), env: env, killAfter: killAfter)
                if status == nil { kills += 1; delay = min(delay * 1.4, 3) } else { #expect(status == 0); finished = true; break }
            }
            #expect(finished)
            #expect(kills > 0)
            // Same items in both tables, each once; every part on S3 intact; no part PUT twice.
            let manifest = try Manifest.load(staging: staging)
            let result = String(decoding: try await moto.boto3("""
                from boto3.dynamodb.types import TypeDeserializer
                out = {}
                for prefix in ("clean", "crash"):
                    for t in [\(manifest.tables.map { "'\($0.design.table.dropFirst(6))'" }.joined(separator: ", "))]:
                        items, kw = [], {"TableName": prefix + "_" + t}
                        while True:
                            page = ddb.scan(**kw)
                            items += page["Items"]
                            if "LastEvaluatedKey" not in page: break
                            kw["ExclusiveStartKey"] = page["LastEvaluatedKey"]
                        out.setdefault(t, {})[prefix] = sorted(json.dumps(i, sort_keys=True) for i in items)
                print(json.dumps({t: [len(v["clean"]), v["clean"] == v["crash"]] for t, v in out.items()}))
                """), as: UTF8.self)
            for table in manifest.tables {
                let name = String(table.design.table.dropFirst(6))
                #expect(result.contains("\"\(name)\": [\(table.items), true]"), "\(result)")
            }
            let log = moto.log
            var puts: [String: Int] = [:]
            for line in log.split(separator: "\n") where line.contains("\"PUT /crash/crash/tables/") {
                let path = line.split(separator: " ").first { $0.hasPrefix("/crash/crash/tables/") }.map(String.init) ?? ""
                puts[path, default: 0] += 1
            }
            let parts = manifest.tables.reduce(0) { $0 + $1.parts.count }
            #expect(puts.count == parts, "\(puts.count) parts PUT, \(parts) staged")
            #expect(puts.values.allSatisfy { $0 == 1 }, "\(puts.filter { $0.value > 1 })")
            if bounded {
                let left = FileManager.default.enumerator(atPath: staging + "/tables")?.compactMap { $0 as? String }.filter { $0.contains("/part-") } ?? []
                #expect(left.isEmpty, "parts left in the staging folder: \(left)")
            }
            print("crash test (bounded: \(bounded)): \(kills) kills, \(parts) parts")
        }
    }
}
