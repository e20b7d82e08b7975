/// Summary.db searched in place for one partition: a binary search over its sampled keys that
/// reads only the probed entries (a few hundred bytes), so a point read does not read a summary
/// of megabytes whole. The layout is `IndexSummary`'s.
struct SummarySearch {
    let path: String
    private let file: any RandomAccessSource
    private let count: Int
    /// File offset of the offsets table; entries are at `base + offset`.
    private let base: Int64
    /// Bytes of offsets + entries.
    private let size: Int64

    init(path: String, version: SSTableVersion) throws(SSTableError) {
        self.path = path
        file = try SSTableStorage.open(path)
        let headerSize = version.hasSummarySamplingLevel ? 24 : 16
        let header = try file.bytes(at: 0, count: headerSize)
        let interval = header.int32(at: 0)
        guard interval > 0 else { throw SSTableError(path: path, offset: 0, "bad min index interval \(interval)") }
        count = Int(header.int32(at: 4))
        size = header.int64(at: 8)
        base = Int64(headerSize)
        guard count >= 0, Int64(count) * 12 <= size else { throw SSTableError(path: path, offset: 4, "bad entry count \(count)") }
        guard size <= file.size - base else { throw SSTableError(path: path, offset: 8, "summary size \(size) runs past the end of the file (\(file.size) bytes)") }
    }

    /// The last sampled entry whose partition sorts at or before `target`: its key and its
    /// Index.db position; nil when every sampled key sorts after it.
    func lastEntry(atOrBefore target: Partitioner.Position, _ partitioner: Partitioner) throws(SSTableError) -> (key: [UInt8], indexPosition: Int64)? {
        var lo = 0, hi = count
        var best: (key: [UInt8], indexPosition: Int64)?
        while lo < hi {
            let mid = (lo + hi) / 2
            let entry = try self.entry(mid)
            if partitioner.compare(partitioner.position(of: entry.key), target) <= 0 {
                best = entry
                lo = mid + 1
            } else {
                hi = mid
            }
        }
        return best
    }

    /// The SSTable's first and last partition keys, stored after the entries.
    func firstAndLastKeys() throws(SSTableError) -> (first: [UInt8], last: [UInt8]) {
        let firstAt = base + size
        let firstLength = Int(try file.bytes(at: firstAt, count: 4).int32(at: 0))
        guard firstLength >= 0 else { throw SSTableError(path: path, offset: firstAt, "bad first key length \(firstLength)") }
        let first = try file.bytes(at: firstAt + 4, count: firstLength)
        let lastAt = firstAt + 4 + Int64(firstLength)
        let lastLength = Int(try file.bytes(at: lastAt, count: 4).int32(at: 0))
        guard lastLength >= 0 else { throw SSTableError(path: path, offset: lastAt, "bad last key length \(lastLength)") }
        return (first, try file.bytes(at: lastAt + 4, count: lastLength))
    }

    /// Entry `i`: its key and Index.db position.
    private func entry(_ i: Int) throws(SSTableError) -> (key: [UInt8], indexPosition: Int64) {
        let at = base + Int64(i) * 4
        let bounds = try file.bytes(at: at, count: i + 1 < count ? 8 : 4)
        let start = Int64(bounds.uint32LE(at: 0))
        let end = i + 1 < count ? Int64(bounds.uint32LE(at: 4)) : size
        guard start >= Int64(count) * 4, end - start >= 8, end <= size else {
            throw SSTableError(path: path, offset: at, "summary entry \(i) spans offsets \(start)..<\(end), out of place")
        }
        let bytes = try file.bytes(at: base + start, count: Int(end - start))
        let position = Int64(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: bytes.count - 8, as: Int64.self) })
        guard position >= 0 else { throw SSTableError(path: path, offset: base + end - 8, "summary entry \(i) has a negative Index.db position") }
        return (Array(bytes.dropLast(8)), position)
    }
}

private extension [UInt8] {
    func int32(at i: Int) -> Int32 { Int32(bigEndian: withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i, as: Int32.self) }) }
    func int64(at i: Int) -> Int64 { Int64(bigEndian: withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i, as: Int64.self) }) }
    func uint32LE(at i: Int) -> UInt32 { UInt32(littleEndian: withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i, as: UInt32.self) }) }
}
