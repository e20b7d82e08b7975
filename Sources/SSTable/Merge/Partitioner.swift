import CQL
import Crypto

/// The partitioner named in Statistics.db, which fixes the order of partitions in Data.db:
/// by token, then by key bytes (`DecoratedKey.compareTo`).
public enum Partitioner: Sendable, Equatable {
    case murmur3
    case random
    case byteOrdered
    /// `OrderPreservingPartitioner`: keys as UTF-8 strings, compared by bytes here.
    case orderPreserving
    /// `LocalPartitioner` (system and index tables): ordered by the key type.
    case local(CQLType)

    public init?(className: String, keyType: CQLType?) {
        switch className.split(separator: ".").last.map(String.init) ?? className {
        case "Murmur3Partitioner": self = .murmur3
        case "RandomPartitioner": self = .random
        case "ByteOrderedPartitioner": self = .byteOrdered
        case "OrderPreservingPartitioner": self = .orderPreserving
        case "LocalPartitioner": self = .local(keyType ?? .blob)
        default: return nil
        }
    }

    /// A partition's sort position: its token and key.
    struct Position {
        var token: Token
        var key: [UInt8]
    }

    enum Token: Equatable {
        case long(Int64)
        case bytes([UInt8])
        case none
    }

    func position(of key: [UInt8]) -> Position {
        switch self {
        case .murmur3: return Position(token: .long(key.withUnsafeBytes { Murmur3.token($0) }), key: key)
        case .random: return Position(token: .bytes(Self.randomToken(key)), key: key)
        case .byteOrdered, .orderPreserving, .local: return Position(token: .none, key: key)
        }
    }

    /// Negative, zero or positive as `a` sorts before, with or after `b`.
    func compare(_ a: Position, _ b: Position) -> Int {
        switch (a.token, b.token) {
        case (.long(let x), .long(let y)) where x != y: return x < y ? -1 : 1
        case (.bytes(let x), .bytes(let y)) where x != y: return x.lexicographicallyPrecedes(y) ? -1 : 1
        default: break
        }
        if case .local(let type) = self {
            return a.key.withUnsafeBytes { x in b.key.withUnsafeBytes { y in type.compare(x, y) } }
        }
        return Self.compareBytes(a.key, b.key)
    }

    static func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a == b { return 0 }
        return a.lexicographicallyPrecedes(b) ? -1 : 1
    }

    /// RandomPartitioner: |MD5 as a signed 128-bit big-endian integer|, as 16 unsigned bytes.
    /// swift-crypto's MD5: 575 ns a key against 937 for the hand-written one it replaced (1M keys
    /// of 16–64 bytes, release build, medians of 5 on a busy 2-core VM; bench/md5-tokens).
    static func randomToken(_ key: [UInt8]) -> [UInt8] {
        var digest = Array(Insecure.MD5.hash(data: key))
        if digest[0] & 0x80 != 0 {
            // Two's-complement negation.
            var carry: UInt16 = 1
            for i in stride(from: 15, through: 0, by: -1) {
                let v = UInt16(~digest[i]) + carry
                digest[i] = UInt8(truncatingIfNeeded: v)
                carry = v >> 8
            }
        }
        return digest
    }
}
