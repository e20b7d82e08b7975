import AWS
import DynamoMapping
import DynamoModel
import Foundation
import SSTable

/// One staged part: a compressed file of DynamoDB JSON lines (`{"Item":{...}}`), DynamoDB's import format.
public struct StagedPart: Codable, Sendable, Hashable {
    /// Path relative to the staging folder, e.g. `tables/orders/data/part-00001.json.gz`
    /// (`.json.zst`, `.json`: see ``PartCompression``).
    public var file: String
    /// Items (lines) in the part.
    public var items: Int
    /// Size of the file.
    public var bytes: Int
    /// Size of the JSON lines before compression (what ImportTable bills).
    public var uncompressedBytes: Int
    /// Lowercase hex SHA-256 of the file.
    public var sha256: String
    /// The ETag of the part's S3 object, quoted as S3 gives it: recorded in the manifest's copy in
    /// S3 (``Uploader``), which `finish` checks the objects against; nil in the staging folder's.
    public var eTag: String? = nil

    /// The part's file name.
    public var name: String { String(file.split(separator: "/").last ?? Substring(file)) }
}

/// An attribute value moved out of an oversized item (policy `oversized_item: s3`), staged as
/// the value's DynamoDB JSON and uploaded to the object its item points at.
public struct StagedObject: Codable, Sendable, Hashable {
    /// Path relative to the staging folder.
    public var file: String
    /// `s3://bucket/key` the item's pointer names.
    public var url: String
    public var bytes: Int
    public var sha256: String

    /// Writes `value` under `folder` for the object `url` names.
    static func write(_ value: AttributeValue, key url: String, folder: String, staging: String) throws -> StagedObject {
        let bytes = Array(value.jsonString().utf8)
        let object = try S3Location(url: url)
        let relative = folder + "/" + object.bucket + "/" + object.prefix
        try FileSystem.makeFolder((staging + "/" + relative as NSString).deletingLastPathComponent)
        try AtomicFile.write(bytes, to: staging + "/" + relative)
        return StagedObject(file: relative, url: url, bytes: bytes.count, sha256: PartReader.sha256Hex(bytes))
    }

    /// Throws unless the staged file is there with the size and SHA-256 staged.
    func verify(staging: String) throws {
        let path = staging + "/" + file
        guard let bytes = try? FileSystem.read(path), bytes.count == self.bytes, PartReader.sha256Hex(bytes) == sha256 else {
            throw StagingError("\(path): missing or changed since staging")
        }
    }
}

/// Everything staged for one CQL table.
public struct StagedTable: Codable, Sendable, Hashable {
    /// `keyspace.table` of the source.
    public var source: String
    public var design: TableDesign
    /// The CQL `CREATE TABLE` the rows were read with.
    public var schemaCQL: String
    /// Which mapping produced the items.
    public var mapping: String
    /// Folders the SSTables came from (several = replicas, merged).
    public var sourceDirectories: [String]
    /// The share of the token ring read, when the table is split across runs (agents); nil: all of it.
    public var tokenRange: TokenRange?
    /// How the parts are compressed; nil in manifests of earlier versions, whose parts are gzip.
    public var compression: PartCompression? = nil
    public var parts: [StagedPart]
    /// Live CQL rows read (items + rejected).
    public var rows: Int
    public var items: Int
    public var bytes: Int
    public var uncompressedBytes: Int
    /// Rows a `skip` policy left out.
    public var rejectedCount: Int
    /// Conversion issues by kind (`empty_key`, `non_finite_number`, …): rows affected.
    public var issues: [String: Int]
    /// Per issue kind, its first rows, with what happened to them.
    public var issueSamples: [String: [String]]
    /// Values moved to S3 out of oversized items.
    public var offloaded: [StagedObject]
    public var extractSeconds: Double
    /// SHA-256 (hex) of everything the staged items depend on: the design, the schema, the
    /// SSTables read (paths and sizes), the token range, the time TTLs were judged at, and the
    /// item format. A later run with a different key stages the table again. Nil in manifests of
    /// earlier versions (always staged again).
    public var stagingKey: String?
    /// The run's high-water marks for catch-up passes; nil in manifests of earlier versions.
    public var marks: ReadMarks? = nil

    /// How the parts are compressed.
    public var partCompression: PartCompression { compression ?? .gzip }

    /// Folder of this table's parts, relative to the staging folder; only parts live there.
    public var dataFolder: String { "tables/\(design.table)/data" }
}

/// The staging folder's manifest (`manifest.json`): per part counts, sizes and checksums; per table
/// design, schema, totals and rejections. Kept outside the data folders (ImportTable reads every
/// object under its prefix).
public struct Manifest: Codable, Sendable, Hashable {
    public var formatVersion = 1
    public var tables: [StagedTable] = []
    /// When TTL expiry was judged (seconds since the epoch): chosen by the folder's first run
    /// (`--now`, else the current time) and kept by every resumed run, so rows whose TTL expires
    /// between a stop and a resume are judged alike.
    public var now: Int64?

    public init(tables: [StagedTable] = [], now: Int64? = nil) {
        self.tables = tables
        self.now = now
    }

    public static let fileName = "manifest.json"

    public var items: Int { tables.reduce(0) { $0 + $1.items } }
    public var uncompressedBytes: Int { tables.reduce(0) { $0 + $1.uncompressedBytes } }

    public func table(named name: String) -> StagedTable? { tables.first { $0.design.table == name } }

    /// Reads `<staging>/manifest.json`; an empty manifest when there is none.
    public static func load(staging: String) throws -> Manifest {
        let path = staging + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else { return Manifest() }
        return try decode(bytes: try FileSystem.read(path), name: path)
    }

    /// Decodes a manifest (e.g. one downloaded from S3); `name` appears in errors.
    public static func decode(bytes: [UInt8], name: String) throws -> Manifest {
        do { return try JSONDecoder().decode(Manifest.self, from: Data(bytes)) } catch {
            throw StagingError("\(name): not a valid manifest: \((error as? DecodingError)?.userMessage ?? "\(error)")")
        }
    }

    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return [UInt8](try encoder.encode(self))
    }

    /// Writes `<staging>/manifest.json` atomically.
    public func save(staging: String) throws {
        try AtomicFile.write(try encoded(), to: staging + "/" + Self.fileName)
    }
}
