/// Summary.db: every n-th Index.db entry's key with its Index.db position, then the SSTable's
/// first and last keys (Cassandra's `IndexSummary` as `SSTableReader.saveSummary` writes it).
///
/// Layout (big-endian unless noted): int32 min index interval, int32 entry count, int64 size of
/// offsets + entries, on ka+ int32 sampling level and int32 entry count at full sampling; then one
/// int32 offset per entry in the writer's *native* (little-endian) order, counted from the start
/// of the offsets; then the entries, each the key bytes followed by its Index.db position as a
/// native (little-endian) int64 (an entry ends where the next begins); then the first and last
/// keys as int32 length + bytes. 2.x files carry more after that (file boundaries), not read.
struct IndexSummary {
    /// Sampled keys and their positions in Index.db, in the partitioner's order.
    var keys: [[UInt8]]
    var indexPositions: [Int64]
    var minIndexInterval: Int
    var firstKey: [UInt8]
    var lastKey: [UInt8]

    /// Summary.db of at most this size is read (a 1 GiB Index.db gives a summary of a few MB).
    static let maxSize: Int64 = 256 << 20

    /// Reads and parses a Summary.db file.
    static func read(_ path: String, version: SSTableVersion) throws(SSTableError) -> IndexSummary {
        try parse(try SSTableStorage.open(path).readAll(limit: maxSize), path: path, version: version)
    }

    static func parse(_ bytes: [UInt8], path: String, version: SSTableVersion) throws(SSTableError) -> IndexSummary {
        try parseComponent(bytes, path: path) { (raw) throws(CursorError) -> IndexSummary in
            var c = ByteCursor(raw)
            let interval = Int(try c.readInt32())
            guard interval > 0 else { throw .malformed(at: 0, "bad min index interval \(interval)") }
            let countAt = c.position
            let count = Int(try c.readInt32())
            let sizeAt = c.position
            let size = try c.readInt64()
            if version.hasSummarySamplingLevel {
                // Sampling level and the entry count at full sampling: not needed to search.
                try c.skip(8)
            }
            guard count >= 0, count <= raw.count / 12 else { throw .malformed(at: countAt, "bad entry count \(count)") }
            let base = c.position
            guard size >= Int64(count) * 12, size <= Int64(c.remaining) else { throw .malformed(at: sizeAt, "bad summary size \(size)") }
            let end = base + Int(size)
            var offsets: [Int] = []
            offsets.reserveCapacity(count + 1)
            for _ in 0..<count {
                let at = c.position
                let offset = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: try c.take(4).lowerBound, as: UInt32.self)))
                guard offset >= count * 4, offset >= (offsets.last ?? 0), base + offset <= end - 8 else {
                    throw .malformed(at: at, "summary entry offset \(offset) is out of place")
                }
                offsets.append(offset)
            }
            offsets.append(Int(size))
            var keys: [[UInt8]] = [], positions: [Int64] = []
            keys.reserveCapacity(count)
            positions.reserveCapacity(count)
            for i in 0..<count {
                let start = base + offsets[i], keyEnd = base + offsets[i + 1] - 8
                guard keyEnd >= start else { throw .malformed(at: base + offsets[i], "summary entry \(i) is shorter than its position") }
                keys.append(Array(raw[start..<keyEnd]))
                let position = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: keyEnd, as: Int64.self))
                guard position >= 0, position >= (positions.last ?? 0) else {
                    throw .malformed(at: keyEnd, "summary entry \(i) has Index.db position \(position) out of order")
                }
                positions.append(position)
            }
            c.position = end
            let first = try c.take(Int(try c.readInt32()))
            let last = try c.take(Int(try c.readInt32()))
            return IndexSummary(
                keys: keys, indexPositions: positions, minIndexInterval: interval,
                firstKey: Array(raw[first]), lastKey: Array(raw[last]))
        }
    }
}
