/// Filter.db: Cassandra's Bloom filter of partition keys (`BloomFilter`, `OffHeapBitSet`).
///
/// Each key is hashed with Murmur3 x64_128 (h1, h2); bit *i* of *k* is `|(h2 + i·h1) mod m|`
/// (Java signed remainder). The file is int32 hash count, int32 word count, then the bit set:
/// raw bytes (bit *b* in byte *b/8*, bit *b mod 8*) from na on; in ma…me each 8-byte word is
/// written as a big-endian long assembled from its bytes little-endian, i.e. byte-reversed.
struct BloomFilterWriter {
    /// Hash functions and bits per element for the default 0.01 false-positive chance
    /// (`BloomCalculations.computeBloomSpec`: 10 buckets per element, K = 5).
    static let hashCount = 5
    static let bucketsPerElement = 10
    /// `FilterFactory.BITSET_EXCESS`.
    static let excess = 20

    private var hashes: [(UInt64, UInt64)] = []

    mutating func add(h1: UInt64, h2: UInt64) { hashes.append((h1, h2)) }

    func serialized(byteReversedWords: Bool) -> [UInt8] {
        let bits = hashes.count * Self.bucketsPerElement + Self.excess
        let words = (bits - 1) / 64 + 1
        var bytes = [UInt8](repeating: 0, count: words * 8)
        let m = Int64(words * 64)
        for (h1, h2) in hashes {
            var base = Int64(bitPattern: h2)
            let inc = Int64(bitPattern: h1)
            for _ in 0..<Self.hashCount {
                let r = base % m
                let index = Int(r < 0 ? -r : r)
                bytes[index >> 3] |= 1 << UInt8(index & 7)
                base = base &+ inc
            }
        }
        if byteReversedWords {
            for w in 0..<words { bytes[(w * 8)..<(w * 8 + 8)].reverse() }
        }
        var out: [UInt8] = []
        out.appendInt32(Int32(Self.hashCount))
        out.appendInt32(Int32(words))
        out.append(contentsOf: bytes)
        return out
    }
}
