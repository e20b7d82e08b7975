import AWS
import DynamoMapping
import DynamoModel
import Foundation
import NIOCore
import SSTable

/// The N token-range shares of one run, as their workers left them in S3
/// (`PREFIX/shares/I-of-N/manifest.json`, parts under `PREFIX/tables/<table>/data/I-of-N/`), read
/// back and checked for `cass2dynamo finish`: every share there, all staged alike, every part
/// intact. ``tables`` are the whole tables, each the union of its shares.
public struct ShareSet: Sendable {
    /// `s3://BUCKET/PREFIX`.
    public var root: S3Location
    /// The share folders, `1-of-N` … `N-of-N`.
    public var shares: [String]
    /// Per share, its manifest as uploaded (with each part's ETag).
    public var manifests: [Manifest]
    /// Each table with the parts of every share, their files relative to `PREFIX`: read them
    /// through `S3Layout(root:)`.
    public var tables: [StagedTable]

    /// Reads and checks the manifests of shares 1…`count` under `root`; throws naming the first
    /// share that is missing or staged unlike the others.
    public static func load(root: S3Location, count: Int, s3: S3Client) async throws -> ShareSet {
        var shares: [String] = []
        var manifests: [Manifest] = []
        for (index, range) in zip(1..., TokenRange.split(count)) {
            let layout = S3Layout(root: root, tokenRange: range)
            let share = layout.share!
            let url = layout.url(ofKey: layout.manifestKey)
            let body: ByteBuffer
            do {
                (body, _) = try await s3.getObject(bucket: root.bucket, key: layout.manifestKey)
            } catch let error as AWSError where error.httpStatus == 404 {
                throw StagingError("share \(share): no manifest at \(url): run share \(index)/\(count) (migrate --token-share \(index)/\(count)) to its end first")
            }
            let manifest = try Manifest.decode(bytes: Array(body.readableBytesView), name: url)
            guard !manifest.tables.isEmpty else { throw StagingError("share \(share): \(url) lists no table: run share \(index)/\(count) again") }
            for table in manifest.tables where table.tokenRange != range {
                throw StagingError("share \(share): \(url) stages \(table.design.table) for token range \(table.tokenRange.map { "\($0)" } ?? "(whole ring)"), not share \(index)/\(count) \(range): every share must be staged with --token-share I/\(count)")
            }
            shares.append(share)
            manifests.append(manifest)
        }
        let tables = try merge(manifests, shares: shares, root: root)
        return ShareSet(root: root, shares: shares, manifests: manifests, tables: tables)
    }

    /// The whole tables: the first share's tables, each with every share's parts and counts.
    static func merge(_ manifests: [Manifest], shares: [String], root: S3Location) throws -> [StagedTable] {
        let first = manifests[0]
        let names = first.tables.map(\.design.table).sorted()
        var tables: [StagedTable] = []
        for var whole in first.tables {
            whole.tokenRange = nil
            whole.stagingKey = nil
            whole.parts = []
            whole.rows = 0
            whole.items = 0
            whole.bytes = 0
            whole.uncompressedBytes = 0
            whole.rejectedCount = 0
            whole.issues = [:]
            whole.issueSamples = [:]
            whole.offloaded = []
            whole.sourceDirectories = []
            whole.extractSeconds = 0
            for (share, manifest) in zip(shares, manifests) {
                let other = manifest.tables.map(\.design.table).sorted()
                guard other == names else {
                    throw StagingError("share \(share) staged the tables \(other.joined(separator: ", ")), share \(shares[0]) \(names.joined(separator: ", ")): stage every share from the same sources, schema and mapping")
                }
                let staged = manifest.table(named: whole.design.table)!
                guard staged.design == whole.design, staged.partCompression == whole.partCompression, staged.source == whole.source else {
                    throw StagingError("share \(share) staged \(whole.design.table) with another design, source table or part compression than share \(shares[0]): stage every share with the same mapping, --table-prefix and --compression")
                }
                let layout = S3Layout(root: root, share: share)
                for part in staged.parts {
                    guard part.eTag != nil else {
                        throw StagingError("share \(share): its manifest records no ETag for \(layout.url(ofKey: layout.key(for: part))) (uploaded by an earlier version): run the share again")
                    }
                    var moved = part
                    moved.file = layout.relativePath(of: part)
                    whole.parts.append(moved)
                }
                whole.rows += staged.rows
                whole.items += staged.items
                whole.bytes += staged.bytes
                whole.uncompressedBytes += staged.uncompressedBytes
                whole.rejectedCount += staged.rejectedCount
                whole.issues.merge(staged.issues, uniquingKeysWith: +)
                whole.issueSamples.merge(staged.issueSamples) { Array(($0 + $1).prefix(5)) }
                whole.offloaded += staged.offloaded
                whole.sourceDirectories += staged.sourceDirectories.filter { !whole.sourceDirectories.contains($0) }
                whole.extractSeconds = max(whole.extractSeconds, staged.extractSeconds)
            }
            tables.append(whole)
        }
        return tables
    }

    /// Checks that S3 holds every share's parts intact (size and ETag as its manifest records)
    /// and nothing else under each table's import prefix (ImportTable would read it too).
    public func checkObjects(s3: S3Client) async throws {
        let whole = S3Layout(root: root)
        for table in tables {
            let prefix = whole.importPrefix(for: table)
            var listed: [String: S3ObjectSummary] = [:]
            for object in try await s3.listAllObjects(bucket: root.bucket, prefix: prefix) { listed[object.key] = object }
            for (share, manifest) in zip(shares, manifests) {
                let layout = S3Layout(root: root, share: share)
                for part in manifest.table(named: table.design.table)!.parts {
                    let key = layout.key(for: part)
                    guard let object = listed.removeValue(forKey: key) else {
                        throw StagingError("share \(share): \(layout.url(ofKey: key)) is missing from S3: run the share again (it sends only what S3 lacks)")
                    }
                    guard object.size == Int64(part.bytes), object.eTag == part.eTag else {
                        throw StagingError("share \(share): \(layout.url(ofKey: key)) is damaged (\(object.size) bytes, ETag \(object.eTag ?? "none"); its manifest has \(part.bytes) bytes, ETag \(part.eTag ?? "none")): run the share again (it sends the parts S3 does not hold intact)")
                    }
                }
            }
            if let extra = listed.keys.min() {
                throw StagingError("\(whole.url(ofKey: extra)) and \(listed.count - 1) more objects under \(whole.url(ofKey: prefix)) are no part of the \(shares.count) shares' manifests (left by a run with another number of shares?): ImportTable would read them; delete them")
            }
        }
    }

    /// Throws unless the tables were staged as `mapping` and `tablePrefix` design them (what
    /// `finish --mapping` / `--table-prefix` cross-check): with a mapping, each design is the
    /// mapping's with the prefix; without, each table is named the prefix + its CQL name.
    public func checkDesigns(mapping: MappingFile?, mappingName: String, tablePrefix: String?) throws {
        for table in tables {
            let name = table.design.table
            if let mapping {
                guard var expected = mapping.design(for: table.source) else {
                    throw StagingError("\(name): the shares staged it from \(table.source), which \(mappingName) does not map: give finish the mapping the shares used")
                }
                expected.table = (tablePrefix ?? "") + expected.table
                guard expected == table.design else {
                    throw StagingError("\(name): the shares staged it with another design than \(mappingName) gives (as \(expected.table)): give finish the mapping and --table-prefix the shares used")
                }
            } else if let tablePrefix {
                let cqlName = table.source.split(separator: ".").last.map(String.init) ?? table.source
                guard name == tablePrefix + cqlName else {
                    throw StagingError("\(name): the shares staged \(table.source) as \(name), not \(tablePrefix + cqlName) as --table-prefix '\(tablePrefix)' names it: give finish the --table-prefix (and --mapping) the shares used")
                }
            }
        }
    }
}
