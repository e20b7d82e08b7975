/// Cassandra's Murmur3 token: the first half of MurmurHash3 x64_128 (seed 0) over the key bytes,
/// with Java's sign extension of tail bytes (`MurmurHash.hash3_x64_128`), so it differs from
/// stock Murmur3 when a tail byte is ≥ 0x80. `Long.MIN_VALUE` maps to `Long.MAX_VALUE`.
enum Murmur3 {
    static func token(_ key: UnsafeRawBufferPointer) -> Int64 {
        let h = hash(key)
        return h == .min ? .max : h
    }

    @inline(__always) private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    @inline(__always) private static func fmix(_ k: UInt64) -> UInt64 {
        var k = k
        k ^= k >> 33
        k = k &* 0xff51_afd7_ed55_8ccd
        k ^= k >> 33
        k = k &* 0xc4ce_b9fe_1a85_ec53
        k ^= k >> 33
        return k
    }

    static func hash(_ key: UnsafeRawBufferPointer) -> Int64 { Int64(bitPattern: hash128(key).h1) }

    /// Both 64-bit halves of the 128-bit hash (Bloom filters use both).
    static func hash128(_ key: UnsafeRawBufferPointer) -> (h1: UInt64, h2: UInt64) {
        let length = key.count
        let blocks = length / 16
        var h1: UInt64 = 0, h2: UInt64 = 0
        let c1: UInt64 = 0x87c3_7b91_1142_53d5, c2: UInt64 = 0x4cf5_ad43_2745_937f
        for i in 0..<blocks {
            var k1 = UInt64(littleEndian: key.loadUnaligned(fromByteOffset: i * 16, as: UInt64.self))
            var k2 = UInt64(littleEndian: key.loadUnaligned(fromByteOffset: i * 16 + 8, as: UInt64.self))
            k1 = k1 &* c1; k1 = rotl(k1, 31); k1 = k1 &* c2; h1 ^= k1
            h1 = rotl(h1, 27); h1 = h1 &+ h2; h1 = h1 &* 5 &+ 0x52dc_e729
            k2 = k2 &* c2; k2 = rotl(k2, 33); k2 = k2 &* c1; h2 ^= k2
            h2 = rotl(h2, 31); h2 = h2 &+ h1; h2 = h2 &* 5 &+ 0x3849_5ab5
        }
        // Tail: Java casts each byte to long, sign-extending it.
        let tail = blocks * 16
        @inline(__always) func b(_ i: Int) -> UInt64 { UInt64(bitPattern: Int64(Int8(bitPattern: key[tail + i]))) }
        var k1: UInt64 = 0, k2: UInt64 = 0
        let rest = length & 15
        if rest >= 15 { k2 ^= b(14) << 48 }
        if rest >= 14 { k2 ^= b(13) << 40 }
        if rest >= 13 { k2 ^= b(12) << 32 }
        if rest >= 12 { k2 ^= b(11) << 24 }
        if rest >= 11 { k2 ^= b(10) << 16 }
        if rest >= 10 { k2 ^= b(9) << 8 }
        if rest >= 9 {
            k2 ^= b(8)
            k2 = k2 &* c2; k2 = rotl(k2, 33); k2 = k2 &* c1; h2 ^= k2
        }
        if rest >= 8 { k1 ^= b(7) << 56 }
        if rest >= 7 { k1 ^= b(6) << 48 }
        if rest >= 6 { k1 ^= b(5) << 40 }
        if rest >= 5 { k1 ^= b(4) << 32 }
        if rest >= 4 { k1 ^= b(3) << 24 }
        if rest >= 3 { k1 ^= b(2) << 16 }
        if rest >= 2 { k1 ^= b(1) << 8 }
        if rest >= 1 {
            k1 ^= b(0)
            k1 = k1 &* c1; k1 = rotl(k1, 31); k1 = k1 &* c2; h1 ^= k1
        }
        h1 ^= UInt64(length); h2 ^= UInt64(length)
        h1 = h1 &+ h2; h2 = h2 &+ h1
        h1 = fmix(h1); h2 = fmix(h2)
        h1 = h1 &+ h2
        h2 = h2 &+ h1
        return (h1, h2)
    }
}
