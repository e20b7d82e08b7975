import AWS
import CQL
import DynamoMapping
import DynamoModel
import Foundation
import TestSupport
import SSTable
import Synchronization
import Testing
@testable import Migration

/// End to end against moto: extract → upload → load (batch and import) → validate, checked with boto3.
@Suite(.enabled(if: MotoServer.shouldRun, "needs moto_server and boto3"), .serialized)
struct MigrationIntegrationTests {
    static let now: Int64 = 1_700_000_000

    static func clients(_ moto: MotoServer) -> (DynamoDBClient, S3Client) {
        (DynamoDBClient(credentials: MotoServer.credentials, region: MotoServer.region, endpoint: moto.endpoint),
         S3Client(credentials: MotoServer.credentials, region: MotoServer.region, endpoint: moto.endpoint))
    }

    /// The reconciled rows of `source` as `SELECT JSON` lines (what `dump` prints), keyed by table name.
    static func dumpRows(_ sources: [String], schema: String?) throws -> [String: [String]] {
        let extractor = Extractor(options: ExtractOptions(sources: sources, schemaText: schema, now: now))
        var out: [String: [String]] = [:]
        for job in try extractor.jobs() {
            let reader = try TableReader(location: job.location, schema: job.schema, now: now)
            try reader.forEachRow { row in
                var json: [UInt8] = []
                try row.appendJSON(to: &json)
                out[job.location.table, default: []].append(String(decoding: json, as: UTF8.self))
            }
        }
        return out
    }

    /// Runs a migration of `sources` in `mode` and checks every table with boto3 against the rows.
    func migrateAndCheck(_ moto: MotoServer, sources: [String], schema: String?, mode: LoadMode, prefix: String,
                         expected: [String: [String]], mapping: MappingFile? = nil,
                         compression: PartCompression = .gzip, maxLocalBytes: Int? = nil, partBytes: Int = 2048) async throws -> MigrationSummary {
        let (dynamo, s3) = Self.clients(moto)
        let staging = TestPaths.temporaryFolder("it")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        _ = try await moto.boto3("s3.create_bucket(Bucket='stage')")
        var design = DesignOptions()
        design.tablePrefix = prefix
        var extract = ExtractOptions(sources: sources, schemaText: schema, partBytes: partBytes, concurrency: 2, now: Self.now,
                                     mapping: mapping, design: design)
        extract.compression = compression
        let options = MigrateOptions(
            extract: extract,
            staging: staging, s3: S3Location(bucket: "stage", prefix: "runs/\(prefix)"), mode: mode,
            batch: BatchLoadOptions(concurrency: 4), importPollInterval: 0.1, maxLocalBytes: maxLocalBytes)
        // The bytes of parts in the staging folder (whole or being written), at their peak.
        let peak = Mutex(0)
        let watching = Task {
            while !Task.isCancelled {
                peak.withLock { $0 = max($0, Self.localPartBytes(staging)) }
                try? await Task.sleep(for: .milliseconds(2))
            }
        }
        let summary = try await MigrationRunner(dynamo: dynamo, s3: s3).run(options)
        watching.cancel()
        _ = await watching.result
        for v in summary.validations { #expect(v.isMatch, "\(v)") }
        let parts = summary.manifest.tables.flatMap(\.parts)
        if let maxLocalBytes {
            // Never more than the bound, or than the one part always let through.
            let largest = parts.map(\.bytes).max() ?? 0
            #expect(peak.withLock { $0 } <= max(maxLocalBytes, largest), "peak \(peak.withLock { $0 }) bytes")
            #expect(Self.localPartBytes(staging) == 0, "parts left in \(staging)")
            #expect(peak.withLock { $0 } > 0, "the watch saw no part")
        }
        // Every part sent once (the bucket starts empty), and S3 holds exactly the staged parts.
        #expect(summary.upload?.uploaded == parts.count && summary.upload?.skipped == 0, "\(String(describing: summary.upload))")
        let stored = String(decoding: try await moto.boto3("""
            keys = []
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket="stage", Prefix="runs/\(prefix)/tables/"):
                keys += [o["Key"] for o in page.get("Contents", [])]
            print("\\n".join(sorted(keys)))
            """), as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(stored.filter { $0.contains("/data/") } == parts.map { "runs/\(prefix)/" + $0.file }.sorted(), "\(stored)")
        for table in summary.manifest.tables {
            let cqlName = String(table.design.table.dropFirst(prefix.count))
            let rows = expected[cqlName] ?? []
            let file = staging + "/expected-\(cqlName).jsonl"
            #expect(table.rows == rows.count, "\(cqlName): \(table.rows) rows staged, \(rows.count) dumped")
            #expect(table.items + table.rejectedCount == rows.count)
            // Rows a skip policy left out are not expected in the table (these tests skip all or none).
            #expect(table.rejectedCount == 0 || table.items == 0)
            let kept = table.items == 0 ? [] : rows
            try (kept.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            let cql = try #require(try CQLSchema.parse(table.schemaCQL).tables.first)
            let keys = (cql.partitionKey + cql.clustering).map(\.name)
            let timestamps = cql.allColumns.filter { $0.type.unreversed == .timestamp }.map(\.name)
            let result = try await moto.checkTable(table: table.design.table, keys: keys, timestamps: timestamps, expectedFile: file)
            #expect(result == "OK \(table.items)", "\(table.design.table) (\(mode)): \(result)")
        }
        try await dynamo.shutdown()
        try await s3.shutdown()
        return summary
    }

    @Test(arguments: [LoadMode.batch, LoadMode.import])
    func shopSample(mode: LoadMode) async throws {
        let schema = try String(contentsOfFile: TestPaths.samples + "/shop.cql", encoding: .utf8)
        let expected = try Self.dumpRows([TestPaths.samples + "/shop"], schema: schema)
        try await MotoServer.with { moto in
            let summary = try await migrateAndCheck(moto, sources: [TestPaths.samples + "/shop"], schema: schema, mode: mode,
                                                    prefix: "shop_", expected: expected)
            #expect(summary.manifest.tables.count == 2)
        }
    }

    /// The bytes of part files under `staging`'s table folders (data and partial), each file once
    /// (by inode: a part renamed from the partial to the data folder during the walk is seen twice).
    static func localPartBytes(_ staging: String) -> Int {
        guard let files = FileManager.default.enumerator(atPath: staging + "/tables") else { return 0 }
        var sizes: [Int: Int] = [:]
        for case let file as String in files where file.contains("/part-") {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: staging + "/tables/" + file),
                  let inode = attributes[.systemFileNumber] as? Int, let size = attributes[.size] as? Int else { continue }
            sizes[inode] = size
        }
        return sizes.values.reduce(0, +)
    }

    /// `maxLocalBytes` (`--max-local-gb`): parts go up while the tables are read and leave the
    /// staging folder once S3 holds them, so the folder holds one part at a time here; the import,
    /// the batch load and the validation read them from S3. An object of an earlier staging under
    /// a table's prefix is removed before ImportTable reads it (its item would be imported too).
    @Test(arguments: [LoadMode.import, LoadMode.batch])
    func boundedStagingUploadsWhileExtracting(mode: LoadMode) async throws {
        let schema = try String(contentsOfFile: TestPaths.samples + "/shop.cql", encoding: .utf8)
        let expected = try Self.dumpRows([TestPaths.samples + "/shop"], schema: schema)
        let prefix = "bound_\(mode)_"
        try await MotoServer.with { moto in
            _ = try await moto.boto3("""
                import gzip
                s3.create_bucket(Bucket="stage")
                s3.put_object(Bucket="stage", Key="runs/\(prefix)/tables/\(prefix)orders/data/part-9-00001.json.gz",
                              Body=gzip.compress(b'{"Item":{"stale":{"S":"x"}}}\\n'))
                """)
            let summary = try await migrateAndCheck(moto, sources: [TestPaths.samples + "/shop"], schema: schema, mode: mode, prefix: prefix,
                                                    expected: expected, maxLocalBytes: 1, partBytes: 1)
            // An item a part: seven parts, kept one at a time.
            #expect(summary.manifest.tables.count == 2 && summary.manifest.tables.reduce(0) { $0 + $1.parts.count } == 7)
        }
    }

    @Test(arguments: ["ma", "ka"], [LoadMode.batch, LoadMode.import])
    func legacyTables(version: String, mode: LoadMode) async throws {
        let root = TestPaths.cassandra
        let schema = try String(contentsOfFile: "\(root)/expected/\(version)/schema.cql", encoding: .utf8)
        let tables = ["simple", "simple_counter", "clust", "clust_counter", "simple_compact", "clust_compact"]
        let sources = tables.map { "\(root)/\(version)/legacy_tables/legacy_\(version)_\($0)" }
        var expected: [String: [String]] = [:]
        for table in tables {
            let name = "legacy_\(version)_\(table)"
            let text = try String(contentsOfFile: "\(root)/expected/\(version)/\(name).jsonl", encoding: .utf8)
            expected[name] = text.split(separator: "\n").map(String.init)
        }
        // clust keys are over 1200 bytes, beyond DynamoDB's 1024-byte sort key limit: the default
        // policy (invalid_key: fail) stops the extract naming the table and the row.
        let staging = TestPaths.temporaryFolder("fail")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let error = #expect(throws: StagingError.self) {
            _ = try Extractor(options: ExtractOptions(sources: sources, schemaText: schema, now: Self.now)).run(staging: staging)
        }
        #expect(error?.description.contains("legacy_\(version)_clust") == true && error?.description.contains("1024") == true,
                "\(String(describing: error))")
        // With invalid_key: skip in the mapping, those rows are left out and counted.
        var mapping = MappingFile(tables: [])
        let cql = try CQLSchema.parse(schema)
        for table in tables {
            // The run's table prefix (below) applies to the mapping's table names too.
            var design = TableDesigner.propose(try #require(cql.tables.first { $0.name == "legacy_\(version)_\(table)" }))
            design.policies.invalidKey = .skip
            mapping.tables.append(design)
        }
        try await MotoServer.with { moto in
            let summary = try await migrateAndCheck(moto, sources: sources, schema: schema, mode: mode, prefix: "\(mode)_", expected: expected,
                                                    mapping: mapping)
            #expect(summary.manifest.tables.count == tables.count)
            let clust = try #require(summary.manifest.table(named: "\(mode)_legacy_\(version)_clust"))
            #expect(clust.rejectedCount == 250 && clust.items == 0)
            #expect(clust.issues == ["key_too_long": 250], "\(clust.issues)")
            #expect(clust.issueSamples["key_too_long"]?.first?.contains("1024") == true, "\(clust.issueSamples)")
            let simple = try #require(summary.manifest.table(named: "\(mode)_legacy_\(version)_simple"))
            #expect(simple.items == 5)
        }
    }

    /// Two replicas of `orders`, each holding different newer writes and deletions (the update and
    /// the partition deletion are in the second SSTable only): merged, they give the reconciled rows.
    @Test func replicasMergeToReconciledRows() async throws {
        let schema = try String(contentsOfFile: TestPaths.samples + "/shop.cql", encoding: .utf8)
        let base = TestPaths.temporaryFolder("replicas")
        defer { try? FileManager.default.removeItem(atPath: base) }
        let fm = FileManager.default
        for (node, generation) in [("node1", "3"), ("node2", "4")] {
            let folder = "\(base)/\(node)/shop/orders"
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for file in try fm.contentsOfDirectory(atPath: TestPaths.samples + "/shop/orders") where file.hasPrefix("nb-\(generation)-") {
                try fm.copyItem(atPath: TestPaths.samples + "/shop/orders/" + file, toPath: folder + "/" + file)
            }
        }
        let replicas = ["\(base)/node1/shop/orders", "\(base)/node2/shop/orders"]
        let merged = try Self.dumpRows(replicas, schema: schema)
        let single = try Self.dumpRows([TestPaths.samples + "/shop/orders"], schema: schema)
        #expect(merged == single)
        let onlyFirst = try Self.dumpRows([replicas[0]], schema: schema)
        #expect(onlyFirst != single, "the replicas should differ for this test to mean anything")
        try await MotoServer.with { moto in
            let summary = try await migrateAndCheck(moto, sources: replicas, schema: schema, mode: .batch, prefix: "rep_", expected: merged)
            #expect(summary.manifest.tables.first?.sourceDirectories.count == 2)
        }
    }

    /// The shop sample staged into `staging`.
    /// Parts staged uncompressed are imported as NONE (were they announced as GZIP, moto could not
    /// read them); zstd parts are read back by the batch loader and the validator.
    @Test(arguments: [(PartCompression.none, LoadMode.import), (.zstd, .batch)])
    func shopSampleInOtherCodecs(compression: PartCompression, mode: LoadMode) async throws {
        let schema = try String(contentsOfFile: TestPaths.samples + "/shop.cql", encoding: .utf8)
        let expected = try Self.dumpRows([TestPaths.samples + "/shop"], schema: schema)
        try await MotoServer.with { moto in
            let summary = try await migrateAndCheck(moto, sources: [TestPaths.samples + "/shop"], schema: schema, mode: mode,
                                                    prefix: "\(compression)_", expected: expected, compression: compression)
            #expect(summary.manifest.tables.allSatisfy { $0.compression == compression })
        }
    }

    /// ImportTable is told zstd parts are `ZSTD`. moto reads only GZIP and NONE (it takes the zstd
    /// bytes for text), so its import fails; the request, seen through a proxy, is what is checked,
    /// and the objects in S3 are checked with the `zstd` tool.
    @Test(.enabled(if: which("zstd") != nil, "needs the zstd command"))
    func zstdPartsAreImportedAsZSTD() async throws {
        try await MotoServer.with { moto in
            let proxy = FaultProxy(upstream: moto.url) { _ in .pass }
            try await proxy.start()
            let dynamo = DynamoDBClient(credentials: MotoServer.credentials, region: MotoServer.region, endpoint: AWSEndpoint(url: proxy.url)!)
            let (_, s3) = Self.clients(moto)
            let staging = TestPaths.temporaryFolder("zstd-import")
            defer { try? FileManager.default.removeItem(atPath: staging) }
            _ = try await moto.boto3("s3.create_bucket(Bucket='zst')")
            var options = ExtractOptions(sources: [TestPaths.samples + "/shop"],
                                         schemaText: try String(contentsOfFile: TestPaths.samples + "/shop.cql", encoding: .utf8), now: Self.now)
            options.compression = .zstd
            let manifest = try Extractor(options: options).run(staging: staging)
            let location = S3Location(bucket: "zst", prefix: "p")
            let checkpoint = try CheckpointStore(staging: staging)
            _ = try await Uploader(s3: s3, layout: S3Layout(root: location)).upload(manifest, staging: staging, checkpoint: checkpoint)
            let orders = try #require(manifest.table(named: "orders"))
            // What S3 holds decompresses with the zstd tool to the staged items.
            let key = S3Layout(root: location).key(for: orders.parts[0])
            let lines = String(decoding: try await moto.boto3("""
                import subprocess
                body = s3.get_object(Bucket='zst', Key='\(key)')['Body'].read()
                print(subprocess.run(['zstd', '-dcq'], input=body, capture_output=True, check=True).stdout.count(b'{"Item":'))
                """), as: UTF8.self)
            #expect(lines.trimmingCharacters(in: .whitespacesAndNewlines) == String(orders.parts[0].items))
            let error = await #expect(throws: StagingError.self) {
                _ = try await Importer(dynamo: dynamo, layout: S3Layout(root: location), pollInterval: 0.1).importTable(orders, checkpoint: checkpoint)
            }
            #expect(error?.description.contains("ended FAILED") == true, "\(String(describing: error))")
            let bodies = proxy.requests.withLock { $0["ImportTable"] ?? [] }
            #expect(bodies.count == 1)
            #expect(bodies.first?.contains("\"InputCompressionType\":\"ZSTD\"") == true, "\(bodies)")
            try await proxy.stop()
            try await dynamo.shutdown()
            try await s3.shutdown()
        }
    }

    static func stageShop(_ staging: String) throws -> Manifest {
        let schema = try String(contentsOfFile: TestPaths.samples + "/shop.cql", encoding: .utf8)
        return try Extractor(options: ExtractOptions(sources: [TestPaths.samples + "/shop"], schemaText: schema, now: now)).run(staging: staging)
    }

    /// Uploading to a bucket that does not exist is an error naming the way out; --create-bucket creates it.
    @Test func missingBucketIsAnErrorUnlessCreated() async throws {
        try await MotoServer.with { moto in
            let (_, s3) = Self.clients(moto)
            let staging = TestPaths.temporaryFolder("bucket")
            defer { try? FileManager.default.removeItem(atPath: staging) }
            let manifest = try Self.stageShop(staging)
            let location = S3Location(bucket: "not-yet", prefix: "p")
            let checkpoint = try CheckpointStore(staging: staging)
            let error = await #expect(throws: StagingError.self) {
                _ = try await Uploader(s3: s3, layout: S3Layout(root: location)).upload(manifest, staging: staging, checkpoint: checkpoint)
            }
            #expect(error?.description.contains("--create-bucket") == true, "\(String(describing: error))")
            let report = try await Uploader(s3: s3, layout: S3Layout(root: location), createBucket: true).upload(manifest, staging: staging, checkpoint: checkpoint)
            #expect(report.uploaded == manifest.tables.reduce(0) { $0 + $1.parts.count })
            let keys = String(decoding: try await moto.boto3("print(sorted(o['Key'] for o in s3.list_objects_v2(Bucket='not-yet')['Contents']))"), as: UTF8.self)
            #expect(keys.contains("p/manifest.json"), "\(keys)")
        }
    }

    /// A damaged part: caught before upload by the checksum; and a part whose line is malformed
    /// (put on S3 behind our back) makes moto import COMPLETED with fewer items, which is reported.
    @Test func damagedImportIsReported() async throws {
        try await MotoServer.with { moto in
            let (dynamo, s3) = Self.clients(moto)
            let staging = TestPaths.temporaryFolder("damaged")
            defer { try? FileManager.default.removeItem(atPath: staging) }
            _ = try await moto.boto3("s3.create_bucket(Bucket='dmg')")
            let manifest = try Self.stageShop(staging)
            let location = S3Location(bucket: "dmg", prefix: "p")
            let checkpoint = try CheckpointStore(staging: staging)
            // 1. Damage on disk: upload refuses, naming the part.
            let orders = try #require(manifest.table(named: "orders"))
            let path = staging + "/" + orders.parts[0].file
            let original = try Data(contentsOf: URL(fileURLWithPath: path))
            var damaged = original
            damaged[damaged.count - 12] ^= 0x55
            try damaged.write(to: URL(fileURLWithPath: path))
            await #expect(throws: StagingError.self) {
                _ = try await Uploader(s3: s3, layout: S3Layout(root: location)).upload(manifest, staging: staging, checkpoint: checkpoint)
            }
            try original.write(to: URL(fileURLWithPath: path))
            _ = try await Uploader(s3: s3, layout: S3Layout(root: location)).upload(manifest, staging: staging, checkpoint: checkpoint)
            // 2. A malformed line inside the S3 object: moto imports the lines before it, says COMPLETED.
            let key = S3Layout(root: location).key(for: orders.parts[0])
            _ = try await moto.boto3("""
                import gzip
                body = gzip.decompress(s3.get_object(Bucket='dmg', Key='\(key)')['Body'].read()).split(b"\\n")
                body[1] = b'{"Item": {"broken'
                s3.put_object(Bucket='dmg', Key='\(key)', Body=gzip.compress(b"\\n".join(body)))
                """)
            let importer = Importer(dynamo: dynamo, layout: S3Layout(root: location), pollInterval: 0.1)
            let error = await #expect(throws: StagingError.self) {
                _ = try await importer.importTable(orders, checkpoint: checkpoint)
            }
            #expect(error?.description.contains("where the manifest has \(orders.items)") == true, "\(String(describing: error))")
            try await dynamo.shutdown()
            try await s3.shutdown()
        }
    }

    /// Items deleted, changed and added behind the loader's back are named by the validator, in
    /// both of its ways: bucket sums then keys (the whole table; with a small `detailLimit` some
    /// buckets are only counted), and reading a token-range share's items back by key.
    @Test func validatorFindsEveryDifference() async throws {
        let data = TestPaths.temporaryFolder("validate-data")
        let generated = try await runProgram(try TestPaths.binary(), ["generate", "--profile", "counters", "--rows", "800", "--seed", "11",
                                                                     "--out", data])
        #expect(generated.status == 0, "\(generated.stderr)")
        try await MotoServer.with { moto in
            let (dynamo, _) = Self.clients(moto)
            let staging = TestPaths.temporaryFolder("validate")
            defer { try? FileManager.default.removeItem(atPath: staging) }
            let manifest = try Extractor(options: ExtractOptions(
                sources: [data + "/stats"], schemaText: try String(contentsOfFile: data + "/schema.cql", encoding: .utf8), now: Self.now))
                .run(staging: staging)
            let table = try #require(manifest.tables.first)
            #expect(table.items > 500)
            _ = try await Loader(dynamo: dynamo).loadBatch(table, from: .local(staging: staging), options: BatchLoadOptions(concurrency: 4),
                                                          budget: WriteBudget(maxWCU: nil), checkpoint: try CheckpointStore(staging: staging))
            let clean = try await Validator(dynamo: dynamo).validate(table, from: .local(staging: staging))
            #expect(clean.isMatch && clean.targetItems == table.items, "\(clean)")
            // 3 deleted, 2 changed, 1 added.
            let keys = table.design.keyAttributes
            let changed = try await moto.boto3("""
                keys = \(keys)
                text = lambda i: ",".join(json.dumps(i[k], separators=(",", ":")) for k in keys)
                items = ddb.scan(TableName='page_views', Limit=6)['Items']
                for i in items[:3]: ddb.delete_item(TableName='page_views', Key={k: i[k] for k in keys})
                for i in items[3:5]: ddb.update_item(TableName='page_views', Key={k: i[k] for k in keys},
                                                     UpdateExpression='SET #v = :v', ExpressionAttributeNames={'#v': 'views'},
                                                     ExpressionAttributeValues={':v': {'N': '-1'}})
                extra = dict(items[5])
                extra[keys[0]] = {'S': 'zzz extra'}
                ddb.put_item(TableName='page_views', Item=extra)
                print(json.dumps([text(i) for i in items[:5]] + [text(extra)]))
                """)
            let texts = try JSONDecoder().decode([String].self, from: changed)
            let exact = try await Validator(dynamo: dynamo).validate(table, from: .local(staging: staging))
            #expect(!exact.isMatch && exact.roughBuckets == 0)
            #expect(exact.missingCount == 3 && exact.differentCount == 2 && exact.unexpectedCount == 1, "\(exact)")
            #expect(exact.missing == texts[..<3].sorted() && exact.different == texts[3..<5].sorted() && exact.unexpected == [texts[5]],
                    "\(exact) \(texts)")
            #expect(exact.expectedItems == table.items && exact.targetItems == table.items - 3 + 1)
            // Holding one item at most: one bucket named key by key, the others counted.
            let rough = try await Validator(dynamo: dynamo, detailLimit: 1).validate(table, from: .local(staging: staging))
            #expect(!rough.isMatch && rough.roughBuckets >= 4, "\(rough)")
            #expect(rough.missingCount + rough.differentCount + rough.unexpectedCount == 6, "\(rough)")
            // As a token-range share, the table's extra item belongs to someone else; the rest is read back by key.
            var share = table
            share.tokenRange = TokenRange.split(3)[1]
            let byKey = try await Validator(dynamo: dynamo).validate(share, from: .local(staging: staging))
            #expect(byKey.missingCount == 3 && byKey.differentCount == 2 && byKey.unexpectedCount == 0, "\(byKey)")
            #expect(byKey.expectedItems == table.items && byKey.targetItems == table.items - 3)
            try await dynamo.shutdown()
        }
    }

    /// Throttling injected by a proxy: the load completes, every item once, within the WCU budget.
    @Test func throttledLoadStaysWithinBudget() async throws {
        let schema = try String(contentsOfFile: TestPaths.samples + "/shop.cql", encoding: .utf8)
        let root = TestPaths.cassandra
        try await MotoServer.with { moto in
            let proxy = FaultProxy(upstream: moto.url, maxFaultsPerBody: 2) { index in
                switch index % 4 {
                case 0: .error400("ProvisionedThroughputExceededException")
                case 1: .partial
                default: .pass
                }
            }
            try await proxy.start()
            let dynamo = DynamoDBClient(credentials: MotoServer.credentials, region: MotoServer.region,
                                        endpoint: AWSEndpoint(url: proxy.url)!)
            let staging = TestPaths.temporaryFolder("throttle")
            defer { try? FileManager.default.removeItem(atPath: staging) }
            // The legacy clust_counter table (250 small rows) under 100 WCU/s: at least ~2 s.
            _ = schema
            let manifest = try Extractor(options: ExtractOptions(
                sources: ["\(root)/ma/legacy_tables/legacy_ma_simple_counter", "\(root)/ma/legacy_tables/legacy_ma_simple"],
                schemaText: try String(contentsOfFile: "\(root)/expected/ma/schema.cql", encoding: .utf8), partBytes: 200, now: Self.now))
                .run(staging: staging)
            let budget = WriteBudget(maxWCU: 4)
            let started = Date()
            var reports: [LoadReport] = []
            for table in manifest.tables {
                reports.append(try await Loader(dynamo: dynamo).loadBatch(
                    table, from: .local(staging: staging), options: BatchLoadOptions(concurrency: 4, maxWCU: 4),
                    budget: budget, checkpoint: try CheckpointStore(staging: staging)))
            }
            let seconds = Date().timeIntervalSince(started)
            let injected = proxy.injected.withLock { $0 }
            #expect(injected.keys.contains { $0.contains("ProvisionedThroughputExceeded") }, "\(injected)")
            #expect(reports.reduce(0) { $0 + $1.throttledResends + $1.unprocessedResends } > 0)
            let units = 10.0  // 10 items of < 1 KB
            #expect(units / seconds <= 4 * 1.5 + 1, "\(units) WCU in \(seconds) s")
            for table in manifest.tables {
                let v = try await Validator(dynamo: dynamo).validate(table, from: .local(staging: staging))
                #expect(v.isMatch, "\(v)")
            }
            try await dynamo.shutdown()
            try await proxy.stop()
        }
    }
}
