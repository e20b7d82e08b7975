/// The delta bases of a 3.0+ SSTable (`EncodingStats`): timestamps, local deletion times and
/// TTLs in Data.db are written as unsigned vints relative to these. Any values are correct;
/// values at or below the data's minimums give the shortest encoding.
public struct EncodingStats: Sendable, Hashable {
    /// µs since the epoch.
    public var minTimestamp: Int64
    /// Seconds since the epoch.
    public var minLocalDeletionTime: Int64
    public var minTTL: Int32

    public init(minTimestamp: Int64, minLocalDeletionTime: Int64, minTTL: Int32 = 0) {
        self.minTimestamp = minTimestamp
        self.minLocalDeletionTime = minLocalDeletionTime
        self.minTTL = minTTL
    }

    /// Cassandra's `EncodingStats.NO_STATS`: the 2015-09-22 epochs.
    public static let none = EncodingStats(
        minTimestamp: SerializationHeader.timestampEpoch, minLocalDeletionTime: SerializationHeader.deletionTimeEpoch, minTTL: 0)

    /// Java `int` subtraction sign-extended to `long`, as `writeUnsignedVInt(int - int)` does.
    @inline(__always)
    static func intDelta(_ value: Int64, _ base: Int64) -> UInt64 {
        UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: value) &- Int32(truncatingIfNeeded: base)))
    }

    @inline(__always)
    func timestampDelta(_ ts: Int64) -> UInt64 { UInt64(bitPattern: ts &- minTimestamp) }

    @inline(__always)
    func deletionTimeDelta(_ ldt: Int64) -> UInt64 { Self.intDelta(ldt, minLocalDeletionTime) }

    @inline(__always)
    func ttlDelta(_ ttl: Int32) -> UInt64 { Self.intDelta(Int64(ttl), Int64(minTTL)) }
}
