/// Filter.db read in place: whether a partition key may be in the SSTable (`BloomFilter`,
/// `BloomFilterSerializer`), reading only the bytes of the key's bits.
///
/// Layout: int32 hash count, int32 word count, then the bit set (`BloomFilterWriter` describes
/// its two byte orders: raw bytes from `na` on, byte-reversed 8-byte words before). A key's
/// bits come from Murmur3 x64_128 of its bytes (h1, h2): bit *i* of *k* is `|base mod m|` with
/// `base` stepping by `inc`; from `ma` on `base = h2, inc = h1`, before `ma` the two are
/// swapped (`hasOldBfHashOrder`, CASSANDRA-8413).
struct BloomFilter {
    let path: String
    private let file: any RandomAccessSource
    private let hashCount: Int
    /// Bits in the set (`bitset.capacity()`), a multiple of 64.
    private let bits: Int64
    private let byteReversedWords: Bool
    private let oldHashOrder: Bool

    /// Cassandra computes at most this many hashes (`BloomCalculations`' largest K).
    static let maxHashCount = 21

    init(path: String, version: SSTableVersion) throws(SSTableError) {
        self.path = path
        file = try SSTableStorage.open(path)
        let header = try file.bytes(at: 0, count: 8)
        let hashes = Int(Int32(bigEndian: header.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }))
        let words = Int64(Int32(bigEndian: header.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: Int32.self) }))
        guard (0...Self.maxHashCount).contains(hashes) else { throw SSTableError(path: path, offset: 0, "bad hash count \(hashes)") }
        guard words > 0, 8 + words * 8 <= file.size else {
            throw SSTableError(path: path, offset: 4, "\(words) words of bits do not fit the file's \(file.size) bytes")
        }
        hashCount = hashes
        bits = words * 64
        byteReversedWords = version.hasOldBloomFilterFormat
        oldHashOrder = version.hasOldBloomFilterHashOrder
    }

    /// False when the key is certainly not in the SSTable; true when it may be.
    func mightContain(_ key: [UInt8]) throws(SSTableError) -> Bool {
        let (h1, h2) = key.withUnsafeBytes { Murmur3.hash128($0) }
        var base = Int64(bitPattern: oldHashOrder ? h1 : h2)
        let inc = Int64(bitPattern: oldHashOrder ? h2 : h1)
        for _ in 0..<hashCount {
            let r = base % bits
            let bit = r < 0 ? -r : r
            let word = bit >> 6, inWord = bit & 63
            let offset = 8 + (byteReversedWords ? word * 8 + 7 - (inWord >> 3) : bit >> 3)
            if try file.bytes(at: offset, count: 1)[0] & (1 << UInt8(bit & 7)) == 0 { return false }
            base = base &+ inc
        }
        return true
    }

    /// The SSTable's filter when it can be trusted: it must hold the SSTable's own first and
    /// last keys (some 4.0 `na` files carry the pre-`na` bit order, and their filters hold none
    /// of their keys). Nil without Filter.db (normal with `bloom_filter_fp_chance = 1`), or with
    /// a warning when it is damaged or untrustworthy.
    static func trusted(for sstable: SSTable, bounds: (first: [UInt8], last: [UInt8])?) -> (filter: BloomFilter?, warning: String?) {
        guard sstable.hasComponent("Filter.db") else { return (nil, nil) }
        let path = sstable.descriptor.path("Filter.db")
        do throws(SSTableError) {
            let filter = try BloomFilter(path: path, version: sstable.descriptor.version)
            let holdsBounds = try bounds.map { (b) throws(SSTableError) in try filter.mightContain(b.first) ? try filter.mightContain(b.last) : false } ?? true
            if !holdsBounds {
                return (nil, "\(path): does not hold the SSTable's first and last keys: the filter is not used")
            }
            return (filter, nil)
        } catch {
            return (nil, "\(error): the filter is not used")
        }
    }
}
