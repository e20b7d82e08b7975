/// CompressionInfo.db: the compressor, chunk size and the Data.db offset of every chunk.
public struct CompressionInfo: Sendable {
    public var compressorClass: String
    public var compressor: ChunkCompressor
    public var options: [(String, String)]
    /// Uncompressed bytes per chunk (the last chunk may hold fewer).
    public var chunkLength: Int
    /// na+: chunks whose stored length is at least this are stored uncompressed.
    public var maxCompressedLength: Int
    /// Total uncompressed length of Data.db.
    public var dataLength: Int64
    /// File offset of each chunk in Data.db.
    public var chunkOffsets: [Int64]

    /// Parses CompressionInfo.db bytes; `path` names the file in errors.
    public static func parse(_ bytes: [UInt8], path: String, version: SSTableVersion) throws(SSTableError) -> CompressionInfo {
        try parseComponent(bytes, path: path) { (raw) throws(CursorError) -> CompressionInfo in
            var c = ByteCursor(raw)
            let name = try c.readUTF()
            guard let compressor = ChunkCompressor(className: name) else {
                throw .malformed(at: 2, "unknown compressor '\(name)'")
            }
            let optionCount = try c.readInt32()
            guard (0...1000).contains(optionCount) else {
                throw .malformed(at: c.position - 4, "bad option count \(optionCount)")
            }
            var options: [(String, String)] = []
            for _ in 0..<optionCount { options.append((try c.readUTF(), try c.readUTF())) }
            let chunkLengthAt = c.position
            let chunkLength = Int(try c.readInt32())
            guard chunkLength > 0, chunkLength <= 1 << 30 else {
                throw .malformed(at: chunkLengthAt, "bad chunk length \(chunkLength)")
            }
            let maxCompressed = version.hasMaxCompressedLength ? Int(try c.readInt32()) : Int(Int32.max)
            let dataLength = try c.readInt64()
            let countAt = c.position
            let count = Int(try c.readInt32())
            let expected = dataLength <= 0 ? 0 : (dataLength + Int64(chunkLength) - 1) / Int64(chunkLength)
            guard count >= 0, Int64(count) == expected else {
                throw .malformed(at: countAt, "chunk count \(count) does not match data length \(dataLength) / chunk length \(chunkLength)")
            }
            var offsets: [Int64] = []
            offsets.reserveCapacity(count)
            for _ in 0..<count {
                let at = c.position
                let offset = try c.readInt64()
                guard offset >= (offsets.last ?? 0) else { throw .malformed(at: at, "chunk offset \(offset) is out of order") }
                offsets.append(offset)
            }
            return CompressionInfo(
                compressorClass: name, compressor: compressor, options: options, chunkLength: chunkLength,
                maxCompressedLength: maxCompressed, dataLength: dataLength, chunkOffsets: offsets)
        }
    }
}
