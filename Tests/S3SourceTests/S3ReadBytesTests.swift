import AWS
import CQL
import Foundation
import S3Source
import TestSupport
import Testing

@testable import SSTable

/// The reader fetches from S3 what it reads, not whole files: a point read fetches under 5 % of
/// the table's objects and a share of 8 under a third (the store's own count of bytes
/// received), each giving the same rows as the same read of the local folder.
@Suite(.enabled(if: MotoServer.shouldRun, "needs moto_server and boto3"), .serialized)
struct S3ReadBytesTests {
    static let now: Int64 = 1_750_000_000

    /// Runs blocking work on a thread of its own (S3 reads wait for their requests).
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// What the reads gave, local and from S3, and the bytes each S3 read fetched.
    struct Reads: Sendable {
        var whole: [String] = [], wholeS3: [String] = [], point: [String] = [], pointS3: [String] = [], share: [String] = [], shareS3: [String] = []
        var wholeFetched: Int64 = 0, pointFetched: Int64 = 0, shareFetched: Int64 = 0
        var pointRequests = 0
    }

    /// JSON lines of a read of `location`, restricted by `restrict`.
    static func lines(_ location: TableLocation, _ schema: TableSchema, _ restrict: (TableReader) throws -> Void = { _ in }) throws -> [String] {
        let reader = try TableReader(location: location, schema: schema, now: now)
        try restrict(reader)
        var out: [String] = []
        try reader.forEachRow { row in
            var text: [UInt8] = []
            try row.appendJSON(to: &text)
            out.append(String(decoding: text, as: UTF8.self))
        }
        return out
    }

    @Test func pointReadsAndSharesFetchTheirPart() async throws {
        let generated = TempDir("s3-bytes")
        let made = try await runProgram(try TestPaths.binary(), ["generate", "--profile", "iot", "--rows", "300000", "--sstables", "2",
                                                                 "--out", generated.path, "--now", String(Self.now)])
        try #require(made.status == 0, "\(made.stderr)")
        let folder = try #require(try FileManager.default.contentsOfDirectory(atPath: generated.path + "/iot").first)
        let local = generated.path + "/iot/" + folder
        let files = try S3Fixture.files(in: local)
        let total = try files.reduce(Int64(0)) { $0 + Int64(try FileManager.default.attributesOfItem(atPath: local + "/" + $1)[.size] as! Int) }
        let dataBytes = try files.filter { $0.hasSuffix("-Data.db") }.reduce(Int64(0)) {
            $0 + Int64(try FileManager.default.attributesOfItem(atPath: local + "/" + $1)[.size] as! Int)
        }
        let schemaText = try String(contentsOfFile: generated.path + "/schema.cql", encoding: .utf8)
        let schema = try #require(try CQLSchema.parse(schemaText).tables.first { $0.name == "readings" })
        try await MotoServer.with { moto in
            try await S3Fixture.upload(moto, bucket: "reads", try S3Fixture.tree(local, under: "iot/" + folder))
            let client = S3Client(credentials: MotoServer.credentials, region: MotoServer.region, endpoint: moto.endpoint)
            try await withShutdown([client.shutdown]) {
                let locator = S3SSTableLocator { client }
                let url = "s3://reads/iot/" + folder
                // Reads on a thread of their own; checked back here, in the test's task.
                let r = try await Self.onThread { () throws -> Reads in
                    var r = Reads()
                    let localLocation = try SSTableDiscovery.tables(at: local)[0]
                    r.whole = try Self.lines(localLocation, schema)
                    r.wholeS3 = try Self.lines(try locator.tables(at: url, snapshot: nil, backups: false)[0], schema)
                    r.wholeFetched = locator.store(for: url)?.counter.bytesFetched ?? -1
                    let reader = try TableReader(location: localLocation, schema: schema, now: Self.now)
                    var keys: [[UInt8]] = []
                    try reader.forEachRow { row in if keys.last != row.key { keys.append(row.key) } }
                    let key = keys[keys.count / 2]
                    r.point = try Self.lines(localLocation, schema) { try $0.restrict(toKeys: [key]) }
                    r.pointS3 = try Self.lines(try locator.tables(at: url, snapshot: nil, backups: false)[0], schema) { try $0.restrict(toKeys: [key]) }
                    r.pointFetched = locator.store(for: url)?.counter.bytesFetched ?? -1
                    r.pointRequests = locator.store(for: url)?.counter.getRequests ?? -1
                    let range = TokenRange.split(8)[2]
                    r.share = try Self.lines(localLocation, schema) { try $0.restrict(to: range) }
                    r.shareS3 = try Self.lines(try locator.tables(at: url, snapshot: nil, backups: false)[0], schema) { try $0.restrict(to: range) }
                    r.shareFetched = locator.store(for: url)?.counter.bytesFetched ?? -1
                    return r
                }
                // A whole read: every Data.db byte, no file twice.
                #expect(r.whole.count > 100_000)
                #expect(r.wholeS3 == r.whole)
                #expect(r.wholeFetched >= dataBytes && r.wholeFetched <= total, "\(r.wholeFetched) of \(total)")
                // One partition: a few blocks of each file.
                #expect(!r.point.isEmpty && r.pointS3 == r.point)
                #expect(r.pointFetched > 0 && r.pointFetched * 20 < total, "a point read fetched \(r.pointFetched) of \(total) bytes")
                // Each component of the 2 SSTables opened once: a few GETs each, not a stream of them.
                #expect(r.pointRequests > 0 && r.pointRequests <= 40, "\(r.pointRequests) GETs")
                // Share 3 of 8: its eighth, and as much again read ahead at most.
                #expect(!r.share.isEmpty && r.shareS3 == r.share)
                #expect(r.shareFetched > 0 && r.shareFetched * 3 < total, "a share of 8 fetched \(r.shareFetched) of \(total) bytes")
                print("S3 bytes fetched of \(total): whole \(r.wholeFetched), point \(r.pointFetched) in \(r.pointRequests) GETs, share 3/8 \(r.shareFetched)")
            }
        }
    }
}
