import Foundation
import TestSupport
import Testing

/// SSTables uploaded to moto's S3 in the layouts people keep, and the CLI run against them.
enum S3Fixture {
    /// `../shared/sstables/cassandra`.
    static var corpus: String { TestPaths.cassandra }

    static let environment = [
        "AWS_ACCESS_KEY_ID": "AKIDMOTOTEST", "AWS_SECRET_ACCESS_KEY": "motoSecretKeyForTests", "AWS_REGION": MotoServer.region,
    ]

    /// `cass2dynamo dump ARGS` reading from moto.
    static func dump(_ moto: MotoServer, _ arguments: [String]) async throws -> ProgramResult {
        try await runProgram(try TestPaths.binary(), ["dump"] + arguments + ["--endpoint-url", moto.url], environment: environment)
    }

    /// `cass2dynamo dump ARGS` of local files: the reader the shared corpus verifies.
    static func localDump(_ arguments: [String]) async throws -> ProgramResult {
        let result = try await runProgram(try TestPaths.binary(), ["dump"] + arguments)
        try #require(result.status == 0, "local dump \(arguments): \(result.stderr)")
        return result
    }

    /// The regular files directly in a folder, sorted.
    static func files(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { name in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isFolder) && !isFolder.boolValue
        }.sorted()
    }

    /// Uploads `files` (local path → key) to `bucket` with boto3, creating the bucket.
    static func upload(_ moto: MotoServer, bucket: String, _ files: [(path: String, key: String)]) async throws {
        let list = try JSONSerialization.data(withJSONObject: files.map { [$0.path, $0.key] })
        let listFile = TestPaths.temporaryFolder("upload") + "/files.json"
        try list.write(to: URL(fileURLWithPath: listFile))
        _ = try await moto.boto3("""
            b = os.environ["BUCKET"]
            if b not in [x["Name"] for x in s3.list_buckets().get("Buckets", [])]:
                s3.create_bucket(Bucket=b)
            for path, key in json.load(open(os.environ["FILES"])):
                with open(path, "rb") as f:
                    s3.put_object(Bucket=b, Key=key, Body=f.read())
            """, environment: ["BUCKET": bucket, "FILES": listFile])
    }

    /// Uploads text as one object.
    static func put(_ moto: MotoServer, bucket: String, key: String, _ text: String) async throws {
        let file = TestPaths.temporaryFolder("put") + "/object"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        try await upload(moto, bucket: bucket, [(file, key)])
    }

    /// Each file of a local folder and the key it gets under `prefix`.
    static func tree(_ folder: String, under prefix: String) throws -> [(path: String, key: String)] {
        try files(in: folder).map { (folder + "/" + $0, prefix + "/" + $0) }
    }

    /// `check_dump.py`'s comparison of dump output with a corpus table's expected rows: "ok" or
    /// the first difference.
    static func compareWithExpected(_ output: Data, expected: String) async throws -> String {
        let actual = TestPaths.temporaryFolder("actual") + "/rows.jsonl"
        try output.write(to: URL(fileURLWithPath: actual))
        // check_dump.py runs its main() when imported: only its `match` is taken.
        let result = try await MotoServer.runPython("""
            import json, os
            source = open(os.environ["CHECK"]).read()
            exec(source[:source.index("def main():")])
            act = [json.loads(l) for l in open(os.environ["ACTUAL"]) if l.strip()]
            exp = [json.loads(l) for l in open(os.environ["EXPECTED"]) if l.strip()]
            if len(act) != len(exp):
                print(f"{len(act)} rows, expected {len(exp)}")
            else:
                bad = [i for i, (e, a) in enumerate(zip(exp, act)) if not match(e, a)]
                print(f"row {bad[0]}: {act[bad[0]]} != {exp[bad[0]]}" if bad else "ok")
            """, environment: ["CHECK": TestPaths.shared.path + "/tools/check_dump.py", "ACTUAL": actual, "EXPECTED": expected])
        return String(decoding: result, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
