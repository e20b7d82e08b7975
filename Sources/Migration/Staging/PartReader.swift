import AWS
import Crypto
import DynamoModel
import HexCoding
import JSONCoding

/// Reads staged parts back and checks them against the manifest.
public enum PartReader {
    /// Lowercase hex SHA-256.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        Hex.encode(SHA256.hash(data: bytes))
    }

    /// Reads a part's file from the staging folder and checks size and SHA-256.
    public static func readVerified(_ part: StagedPart, staging: String) throws -> [UInt8] {
        let path = staging + "/" + part.file
        guard FileSystem.exists(path) else { throw StagingError("\(path): staged part is missing") }
        let bytes = try FileSystem.read(path)
        try check(bytes, against: part, name: path)
        return bytes
    }

    /// Reads a part's file and checks it whole against the manifest: size, SHA-256, and every
    /// line a DynamoDB JSON item, as many as the manifest says.
    public static func readChecked(_ part: StagedPart, compression: PartCompression, staging: String, stop: StopSignal? = nil) throws -> [UInt8] {
        let bytes = try readVerified(part, staging: staging)
        try forEachItem(bytes, compression: compression, name: staging + "/" + part.file, expectedCount: part.items, stop: stop) { _ in }
        return bytes
    }

    /// Checks a part's bytes against the manifest entry.
    public static func check(_ bytes: [UInt8], against part: StagedPart, name: String) throws {
        guard bytes.count == part.bytes else {
            throw StagingError("\(name): \(bytes.count) bytes where the manifest says \(part.bytes)")
        }
        let digest = sha256Hex(bytes)
        guard digest == part.sha256 else {
            throw StagingError("\(name): SHA-256 \(digest) differs from the manifest's \(part.sha256) (damaged part)")
        }
    }

    /// Decodes every line of a part (its file's bytes, compressed as `compression` says) into
    /// items. Every line must be `{"Item":{...}}`; the count must equal `expectedCount` when given.
    /// Errors name the line. Throws ``Stopped`` on a stop.
    public static func items(_ bytes: [UInt8], compression: PartCompression, name: String, expectedCount: Int? = nil,
                             stop: StopSignal? = nil) throws -> [DynamoItem] {
        var items: [DynamoItem] = []
        try forEachItem(bytes, compression: compression, name: name, expectedCount: expectedCount, stop: stop) { items.append($0) }
        return items
    }

    /// Calls `body` with each item of a part, checking the format as ``items(_:compression:name:expectedCount:stop:)``
    /// does; `stop` is checked every 4,096 items (a large part takes seconds).
    public static func forEachItem(_ bytes: [UInt8], compression: PartCompression, name: String, expectedCount: Int? = nil,
                                   stop: StopSignal? = nil, _ body: (DynamoItem) throws -> Void) throws {
        let text: [UInt8]
        do { text = try compression.decompress(bytes) } catch { throw StagingError("\(name): \(error)") }
        var count = 0
        var start = 0
        var line = 0
        try text.withUnsafeBufferPointer { buffer in
            while start < buffer.count {
                line += 1
                var end = start
                while end < buffer.count && buffer[end] != 10 { end += 1 }
                let slice = UnsafeBufferPointer(rebasing: buffer[start..<end])
                if !slice.isEmpty {
                    let item: DynamoItem
                    do {
                        let json = try JSONValue.parse(slice)
                        guard let wrapped = json["Item"], json.objectValue?.count == 1 else {
                            throw StagingError("not an {\"Item\":{...}} object")
                        }
                        item = try AttributeValue.item(json: wrapped)
                    } catch {
                        throw StagingError("\(name): line \(line) is not a valid DynamoDB JSON item: \(error)")
                    }
                    count += 1
                    if count & 4095 == 0 { try stop?.check() }
                    try body(item)
                }
                start = end + 1
            }
        }
        if let expectedCount, expectedCount != count {
            throw StagingError("\(name): holds \(count) items where the manifest says \(expectedCount)")
        }
    }
}
