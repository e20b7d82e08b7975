/// Index.db (one entry per partition: key, Data.db position, promoted-index size 0) and
/// Summary.db (every 128th Index.db entry, `IndexSummaryBuilder` at full sampling).
final class IndexWriter {
    static let minIndexInterval = 128
    static let samplingLevel = 128
    let file: OutputFile
    private var entry: [UInt8] = []
    private var sampled: [(key: [UInt8], position: Int64)] = []
    private var count = 0
    private(set) var firstKey: [UInt8]?
    private(set) var lastKey: [UInt8] = []

    init(path: String) throws(SSTableError) { file = try OutputFile(path) }

    func add(key: [UInt8], dataPosition: Int64) throws(SSTableError) {
        if count % Self.minIndexInterval == 0 { sampled.append((key, file.position)) }
        count += 1
        if firstKey == nil { firstKey = key }
        lastKey = key
        entry.removeAll(keepingCapacity: true)
        entry.appendShortBytes(key)
        entry.appendUnsignedVInt(UInt64(dataPosition))
        entry.appendUnsignedVInt(0)
        try file.write(entry)
    }

    func finish() throws(SSTableError) { try file.close() }

    /// Summary.db: header, little-endian offsets, entries (key + little-endian Index.db
    /// position), then the first and last keys as int-length bytes.
    func summary() -> [UInt8] {
        var entries: [UInt8] = []
        var offsets: [UInt32] = []
        let offsetsSize = sampled.count * 4
        for s in sampled {
            offsets.append(UInt32(offsetsSize + entries.count))
            entries.append(contentsOf: s.key)
            entries.appendInt64LE(UInt64(s.position))
        }
        var out: [UInt8] = []
        out.appendInt32(Int32(Self.minIndexInterval))
        out.appendInt32(Int32(sampled.count))
        out.appendInt64(Int64(offsetsSize + entries.count))
        out.appendInt32(Int32(Self.samplingLevel))
        out.appendInt32(Int32((count + Self.minIndexInterval - 1) / Self.minIndexInterval))
        for o in offsets { out.appendInt32LE(o) }
        out.append(contentsOf: entries)
        for key in [firstKey ?? [], lastKey] {
            out.appendInt32(Int32(key.count))
            out.append(contentsOf: key)
        }
        return out
    }
}
