/// A deletion: everything written at or before `markedForDeleteAt` (µs) is deleted;
/// `localDeletionTime` (seconds) is when the deletion happened on the node.
public struct DeletionTime: Sendable, Hashable {
    public var markedForDeleteAt: Int64
    public var localDeletionTime: Int64

    public init(markedForDeleteAt: Int64, localDeletionTime: Int64) {
        self.markedForDeleteAt = markedForDeleteAt
        self.localDeletionTime = localDeletionTime
    }

    /// No deletion (`DeletionTime.LIVE`).
    public static let live = DeletionTime(markedForDeleteAt: .min, localDeletionTime: Int64(Int32.max))

    public var isLive: Bool { markedForDeleteAt == .min }

    /// True if data written at `timestamp` is deleted by this.
    @inline(__always)
    public func deletes(_ timestamp: Int64) -> Bool { timestamp <= markedForDeleteAt }

    /// Cassandra's `DeletionTime.supersedes`: the later deletion, ties by local deletion time.
    public func supersedes(_ other: DeletionTime) -> Bool {
        markedForDeleteAt > other.markedForDeleteAt
            || (markedForDeleteAt == other.markedForDeleteAt && localDeletionTime > other.localDeletionTime)
    }

    /// The stronger of two deletions.
    @inline(__always)
    public func merged(with other: DeletionTime) -> DeletionTime { other.supersedes(self) ? other : self }
}

/// Constants of Cassandra's `Cell` and `LivenessInfo`.
enum CellConstants {
    static let noTTL: Int32 = 0
    static let noDeletionTime: Int64 = Int64(Int32.max)
    /// A row marker TTL that means "expired" (`LivenessInfo.EXPIRED_LIVENESS_TTL`).
    static let expiredLivenessTTL: Int32 = Int32.max
}

extension ByteCursor {
    /// The DeletionTime layout of 2.x and of 3.0–4.x partition headers: int32 local deletion
    /// time, then int64 markedForDeleteAt.
    mutating func readLegacyDeletionTime() throws(CursorError) -> DeletionTime {
        let ldt = Int64(try readInt32())
        return DeletionTime(markedForDeleteAt: try readInt64(), localDeletionTime: ldt)
    }

    /// A DeletionTime in the SSTable's layout: the compact form from `oa` on
    /// (`DeletionTime.Serializer`: 0x80 alone for live, else int64 markedForDeleteAt and uint32
    /// local deletion time), else int32 local deletion time then int64 markedForDeleteAt.
    mutating func readDeletionTime(uint: Bool) throws(CursorError) -> DeletionTime {
        guard uint else { return try readLegacyDeletionTime() }
        let at = position
        let first = try readUInt8()
        if first & 0x80 != 0 {
            guard first == 0x80 else { throw .malformed(at: at, "bad deletion time flags 0x\(String(first, radix: 16))") }
            return .live
        }
        var mfda = UInt64(first)
        for _ in 0..<7 { mfda = mfda << 8 | UInt64(try readUInt8()) }
        let ldt = Int64(UInt32(bitPattern: try readInt32()))
        return DeletionTime(markedForDeleteAt: Int64(bitPattern: mfda), localDeletionTime: ldt)
    }
}
