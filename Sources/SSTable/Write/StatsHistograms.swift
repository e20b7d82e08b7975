/// Cassandra's `EstimatedHistogram`: buckets with offsets growing by ×1.2; the last bucket counts overflow.
struct EstimatedHistogram {
    let offsets: [Int64]
    var buckets: [Int64]

    init(bucketCount: Int) {
        var offsets: [Int64] = [1]
        var last: Int64 = 1
        while offsets.count < bucketCount {
            var next = Int64((Double(last) * 1.2).rounded())
            if next == last { next += 1 }
            offsets.append(next)
            last = next
        }
        self.offsets = offsets
        buckets = Array(repeating: 0, count: bucketCount + 1)
    }

    /// Counts `value` in the first bucket whose offset is at least `value`.
    mutating func add(_ value: Int64) {
        var lo = 0, hi = offsets.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if offsets[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        buckets[lo] += 1
    }

    /// `EstimatedHistogram.serializer`: int count, then (offset of the previous bucket, count) pairs.
    func serialize(into out: inout [UInt8]) {
        out.appendInt32(Int32(buckets.count))
        for i in buckets.indices {
            out.appendInt64(offsets[i == 0 ? 0 : i - 1])
            out.appendInt64(buckets[i])
        }
    }
}

/// The tombstone drop-time histogram (`StreamingTombstoneHistogramBuilder`, 3.x `StreamingHistogram`):
/// at most 100 bins; the closest bins are merged when there are more.
struct TombstoneHistogram {
    static let maxBins = 100
    /// 4.x rounds points up to a multiple of this many seconds; 3.x does not round.
    var roundSeconds: Int64 = 60
    private(set) var bins: [Int64: Int64] = [:]

    mutating func update(_ point: Int64) {
        let p = roundSeconds > 1 ? (point + roundSeconds - 1) / roundSeconds * roundSeconds : point
        bins[p, default: 0] += 1
        if bins.count > Self.maxBins * 4 { compact() }
    }

    /// Merges the two closest bins until at most `maxBins` remain.
    mutating func compact() {
        guard bins.count > Self.maxBins else { return }
        var points = bins.sorted { $0.key < $1.key }.map { (point: $0.key, count: $0.value) }
        while points.count > Self.maxBins {
            var best = 0
            var gap = Int64.max
            for i in 0..<(points.count - 1) where points[i + 1].point - points[i].point < gap {
                gap = points[i + 1].point - points[i].point
                best = i
            }
            let a = points[best], b = points[best + 1]
            let count = a.count + b.count
            let point = (a.point * a.count + b.point * b.count) / count
            points[best] = (point, count)
            points.remove(at: best + 1)
        }
        bins = Dictionary(uniqueKeysWithValues: points.map { ($0.point, $0.count) })
    }

    /// int max bin size, int bin count, then (double point, long count) per bin in point order.
    func serialize(into out: inout [UInt8], maxBinSize: Int32?) {
        var copy = self
        copy.compact()
        let sorted = copy.bins.sorted { $0.key < $1.key }
        out.appendInt32(maxBinSize ?? Int32(sorted.count))
        out.appendInt32(Int32(sorted.count))
        for (point, count) in sorted {
            out.appendDouble(Double(point))
            out.appendInt64(count)
        }
    }
}

/// stream-lib's `HyperLogLogPlus(13, 25)` in NORMAL form, fed the way Cassandra feeds it
/// (`MurmurHash.hash2_64` of each partition key), serialized as `getBytes()`.
struct HyperLogLogPlus {
    static let p = 13, sp = 25
    /// 2^13 registers of 5 bits, 6 per 32-bit word (`RegisterSet`).
    private var words = [UInt32](repeating: 0, count: 8192 / 6 + 1)

    mutating func offer(key: [UInt8]) {
        let hash = key.withUnsafeBytes { Self.murmurHash2_64($0) }
        let index = Int(hash >> UInt64(64 - Self.p))
        let w = hash << UInt64(Self.p) | UInt64(1 << (Self.p - 1))
        let rank = UInt32(w.leadingZeroBitCount + 1)
        let word = index / 6, shift = UInt32(5 * (index - word * 6))
        let mask: UInt32 = 0x1F << shift
        if words[word] & mask < rank << shift {
            words[word] = (words[word] & ~mask) | (rank << shift)
        }
    }

    /// int −2 (version), LEB128 p, sp, format 0 (NORMAL), byte length, then the register words.
    func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.appendInt32(Int32(-2))
        out.appendLEB128(UInt32(Self.p))
        out.appendLEB128(UInt32(Self.sp))
        out.appendLEB128(0)
        out.appendLEB128(UInt32(words.count * 4))
        for w in words { out.appendInt32(w) }
        return out
    }

    /// Cassandra's `MurmurHash.hash2_64` with seed 0 (tail bytes sign-extended, as in Java).
    static func murmurHash2_64(_ key: UnsafeRawBufferPointer) -> UInt64 {
        let m: UInt64 = 0xc6a4_a793_5bd1_e995
        let r: UInt64 = 47
        let length = key.count
        var h = m &* UInt64(length)
        let longs = length >> 3
        for i in 0..<longs {
            var k = UInt64(littleEndian: key.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
            k = k &* m
            k ^= k >> r
            k = k &* m
            h ^= k
            h = h &* m
        }
        let rem = length & 7
        if rem > 0 {
            let tail = length - rem
            for j in stride(from: rem - 1, through: 0, by: -1) {
                h ^= UInt64(bitPattern: Int64(Int8(bitPattern: key[tail + j]))) << UInt64(j * 8)
            }
            h = h &* m
        }
        h ^= h >> r
        h = h &* m
        h ^= h >> r
        return h
    }
}
