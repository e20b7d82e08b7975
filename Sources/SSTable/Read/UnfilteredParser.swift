import CQL

/// Decodes the 3.0+ row format (`UnfilteredSerializer`, `Cell.Serializer`, `ClusteringPrefix`,
/// `Columns.serializeSubset`) for one SSTable's serialization header.
final class UnfilteredParser {
    let header: SerializationHeader
    let uintDeletionTime: Bool
    /// Per static and regular header column: `complexWidth` for a multi-cell column, -1 for a
    /// length-prefixed type, else the type's fixed width. Owned here, so the per-row path reads
    /// them without reference counting.
    private let staticWidths: UnsafeMutableBufferPointer<Int>
    private let regularWidths: UnsafeMutableBufferPointer<Int>
    private static let complexWidth = -2
    private let clusteringFixed: [Int]

    init(header: SerializationHeader, version: SSTableVersion) {
        self.header = header
        uintDeletionTime = version.hasUIntDeletionTime
        func widths(_ columns: [SerializationHeader.Column]) -> UnsafeMutableBufferPointer<Int> {
            let widths = UnsafeMutableBufferPointer<Int>.allocate(capacity: columns.count)
            _ = widths.initialize(from: columns.map { $0.type.isMultiCell ? Self.complexWidth : $0.type.fixedLength ?? -1 })
            return widths
        }
        staticWidths = widths(header.staticColumns)
        regularWidths = widths(header.regularColumns)
        clusteringFixed = header.clusteringTypes.map { $0.fixedLength ?? -1 }
    }

    deinit {
        staticWidths.deallocate()
        regularWidths.deallocate()
    }

    // MARK: Partition header

    /// The partition deletion after the key (legacy 12-byte form, or the oa+ compact form).
    func readPartitionDeletion(_ c: inout ByteCursor) throws(CursorError) -> DeletionTime {
        try c.readDeletionTime(uint: uintDeletionTime)
    }

    // MARK: Unfiltereds

    /// Unfiltered flags (`UnfilteredSerializer`).
    enum Flag {
        static let endOfPartition: UInt8 = 0x01
        static let isMarker: UInt8 = 0x02
        static let hasTimestamp: UInt8 = 0x04
        static let hasTTL: UInt8 = 0x08
        static let hasDeletion: UInt8 = 0x10
        static let hasAllColumns: UInt8 = 0x20
        static let hasComplexDeletion: UInt8 = 0x40
        static let extension_: UInt8 = 0x80
        static let isStatic: UInt8 = 0x01
    }

    /// Parses the next unfiltered into `u` (storage is filled by the caller from the consumed range;
    /// ranges are relative to `base`). Returns false at the end of the partition.
    func parse(_ c: inout ByteCursor, base: Int, into u: inout Unfiltered) throws(CursorError) -> Bool {
        let flagsAt = c.position
        let flags = try c.readUInt8()
        if flags & Flag.endOfPartition != 0 {
            guard flags == Flag.endOfPartition else { throw .malformed(at: flagsAt, "bad end-of-partition flags 0x\(String(flags, radix: 16))") }
            return false
        }
        let extended = flags & Flag.extension_ != 0 ? try c.readUInt8() : 0
        if flags & Flag.isMarker != 0 {
            u.reset(kind: .marker)
            try parseMarker(&c, base: base, into: &u)
            return true
        }
        let isStatic = extended & Flag.isStatic != 0
        u.reset(kind: isStatic ? .staticRow : .row)
        if !isStatic { try readClustering(&c, count: header.clusteringTypes.count, base: base, into: &u) }
        let sizeAt = c.position
        let rowSize = try c.readVIntLength()
        let bodyStart = c.position
        guard rowSize <= c.remaining else { throw .endOfInput(at: sizeAt) }
        let rowEnd = bodyStart + rowSize
        _ = try c.readUnsignedVInt()  // previous unfiltered size
        try parseRowBody(&c, flags: flags, isStatic: isStatic, base: base, into: &u)
        guard c.position == rowEnd else {
            throw .malformed(at: sizeAt, "row body is \(c.position - bodyStart) bytes but its size field says \(rowSize)")
        }
        return true
    }

    @inline(__always)
    private func readTimestamp(_ c: inout ByteCursor) throws(CursorError) -> Int64 {
        Int64(bitPattern: try c.readUnsignedVInt() &+ UInt64(bitPattern: header.minTimestamp))
    }

    @inline(__always)
    private func readLocalDeletionTime(_ c: inout ByteCursor) throws(CursorError) -> Int64 {
        let raw = try c.readUnsignedVInt() &+ UInt64(bitPattern: header.minLocalDeletionTime)
        return uintDeletionTime ? Int64(UInt32(truncatingIfNeeded: raw)) : Int64(Int32(truncatingIfNeeded: raw))
    }

    @inline(__always)
    private func readTTL(_ c: inout ByteCursor) throws(CursorError) -> Int32 {
        Int32(truncatingIfNeeded: try c.readUnsignedVInt() &+ UInt64(bitPattern: header.minTTL))
    }

    @inline(__always)
    private func readDeletion(_ c: inout ByteCursor) throws(CursorError) -> DeletionTime {
        let mfda = try readTimestamp(&c)
        return DeletionTime(markedForDeleteAt: mfda, localDeletionTime: try readLocalDeletionTime(&c))
    }

    /// Reads one value of a type: fixed width, or a vint length and the bytes.
    @inline(__always)
    private func readValue(_ c: inout ByteCursor, fixed: Int) throws(CursorError) -> Range<Int> {
        if fixed >= 0 { return try c.take(fixed) }
        return try c.take(try c.readVIntLength())
    }

    /// Clustering values in batches of 32, each batch led by a vint with 2 bits per value
    /// (bit 2i+1: null, bit 2i: empty).
    private func readClustering(_ c: inout ByteCursor, count: Int, base: Int, into u: inout Unfiltered) throws(CursorError) {
        var offset = 0
        while offset < count {
            let bits = try c.readUnsignedVInt()
            let limit = min(count, offset + 32)
            while offset < limit {
                let shift = UInt64((offset % 32) * 2)
                if bits & (1 << (shift + 1)) != 0 {
                    u.clustering.append(.null)
                } else if bits & (1 << shift) != 0 {
                    u.clustering.append(ClusteringSlot(start: Int32(c.position - base), end: Int32(c.position - base)))
                } else {
                    let r = try readValue(&c, fixed: clusteringFixed[offset])
                    u.clustering.append(ClusteringSlot(start: Int32(r.lowerBound - base), end: Int32(r.upperBound - base)))
                }
                offset += 1
            }
        }
    }

    private func parseMarker(_ c: inout ByteCursor, base: Int, into u: inout Unfiltered) throws(CursorError) {
        let kindAt = c.position
        guard let kind = BoundKind(rawValue: try c.readUInt8()), kind != .clustering, kind != .staticClustering else {
            throw .malformed(at: kindAt, "bad range tombstone bound kind")
        }
        u.boundKind = kind
        let size = Int(try c.readUInt16())
        guard size <= header.clusteringTypes.count else {
            throw .malformed(at: kindAt + 1, "bound has \(size) clustering values but the table has \(header.clusteringTypes.count)")
        }
        try readClustering(&c, count: size, base: base, into: &u)
        let sizeAt = c.position
        let markerSize = try c.readVIntLength()
        let bodyStart = c.position
        _ = try c.readUnsignedVInt()  // previous unfiltered size
        if kind.isBoundary {
            u.endDeletion = try readDeletion(&c)
            u.deletion = try readDeletion(&c)
        } else {
            u.deletion = try readDeletion(&c)
            u.endDeletion = u.deletion
        }
        guard c.position - bodyStart == markerSize else {
            throw .malformed(at: sizeAt, "marker body is \(c.position - bodyStart) bytes but its size field says \(markerSize)")
        }
    }

    private func parseRowBody(_ c: inout ByteCursor, flags: UInt8, isStatic: Bool, base: Int, into u: inout Unfiltered) throws(CursorError) {
        if flags & Flag.hasTimestamp != 0 {
            u.liveness.timestamp = try readTimestamp(&c)
            if flags & Flag.hasTTL != 0 {
                u.liveness.ttl = try readTTL(&c)
                u.liveness.localExpirationTime = try readLocalDeletionTime(&c)
            }
        }
        if flags & Flag.hasDeletion != 0 { u.deletion = try readDeletion(&c) }
        let widths = isStatic ? staticWidths : regularWidths
        let supersetCount = widths.count
        let hasComplexDeletion = flags & Flag.hasComplexDeletion != 0
        if flags & Flag.hasAllColumns != 0 {
            for i in 0..<supersetCount {
                try readColumn(&c, index: i, width: widths[i], hasComplexDeletion: hasComplexDeletion, base: base, into: &u)
            }
            return
        }
        let subsetAt = c.position
        let encoded = try c.readUnsignedVInt()
        if supersetCount < 64 {
            guard encoded >> UInt64(supersetCount) == 0 || supersetCount == 0 && encoded == 0 else {
                throw .malformed(at: subsetAt, "column bitmap 0x\(String(encoded, radix: 16)) names columns the header does not have")
            }
            for i in 0..<supersetCount where encoded & (1 << UInt64(i)) == 0 {
                try readColumn(&c, index: i, width: widths[i], hasComplexDeletion: hasComplexDeletion, base: base, into: &u)
            }
            return
        }
        // Large superset: a count of missing columns, then either present or missing indices.
        guard encoded <= UInt64(supersetCount) else { throw .malformed(at: subsetAt, "bad column subset") }
        let missing = Int(encoded)
        let present = supersetCount - missing
        var indices: [Int] = []
        if present < supersetCount / 2 {
            var previous = -1
            for _ in 0..<present {
                let at = c.position
                let i = try c.readVIntLength()
                guard i < supersetCount, i > previous else { throw .malformed(at: at, "bad column index \(i)") }
                previous = i
                indices.append(i)
            }
        } else {
            var next = 0
            for _ in 0..<missing {
                let at = c.position
                let skip = try c.readVIntLength()
                guard skip < supersetCount, skip >= next else { throw .malformed(at: at, "bad column index \(skip)") }
                while next < skip { indices.append(next); next += 1 }
                next += 1
            }
            while next < supersetCount { indices.append(next); next += 1 }
        }
        for i in indices {
            try readColumn(&c, index: i, width: widths[i], hasComplexDeletion: hasComplexDeletion, base: base, into: &u)
        }
    }

    @inline(__always)
    private func readColumn(
        _ c: inout ByteCursor, index: Int, width: Int, hasComplexDeletion: Bool, base: Int, into u: inout Unfiltered
    ) throws(CursorError) {
        guard width == Self.complexWidth else {
            try readCell(&c, column: index, fixed: width, hasPath: false, base: base, into: &u)
            return
        }
        if hasComplexDeletion {
            let d = try readDeletion(&c)
            if !d.isLive { u.complexDeletions.append((Int32(index), d)) }
        }
        let countAt = c.position
        let count = try c.readVIntLength()
        guard count <= c.remaining else { throw .malformed(at: countAt, "complex column claims \(count) cells") }
        for _ in 0..<count { try readCell(&c, column: index, fixed: -1, hasPath: true, base: base, into: &u) }
    }

    @inline(__always)
    private func readCell(_ c: inout ByteCursor, column: Int, fixed: Int, hasPath: Bool, base: Int, into u: inout Unfiltered) throws(CursorError) {
        let flagsAt = c.position
        let flags = CellFlags(rawValue: try c.readUInt8())
        guard flags.rawValue & 0xE0 == 0 else { throw .malformed(at: flagsAt, "bad cell flags 0x\(String(flags.rawValue, radix: 16))") }
        let deleted = flags.contains(.deleted), expiring = flags.contains(.expiring)
        let timestamp = flags.contains(.useRowTimestamp) ? u.liveness.timestamp : try readTimestamp(&c)
        var ldt = CellConstants.noDeletionTime
        var ttl = CellConstants.noTTL
        if flags.contains(.useRowTTL) {
            ldt = u.liveness.localExpirationTime
            ttl = u.liveness.ttl
        } else {
            if deleted || expiring { ldt = try readLocalDeletionTime(&c) }
            if expiring { ttl = try readTTL(&c) }
        }
        var path = c.position..<c.position
        if hasPath { path = try c.take(try c.readVIntLength()) }
        var value = c.position..<c.position
        if !flags.contains(.emptyValue) {
            // Fixed-width column types are written without a length (AbstractType.writeValue);
            // complex-column elements always carry one.
            value = try readValue(&c, fixed: hasPath ? -1 : fixed)
        }
        u.cells.append(
            CellRecord(
                column: Int32(column), flags: flags, timestamp: timestamp, localDeletionTime: ldt, ttl: ttl,
                pathStart: Int32(path.lowerBound - base), pathEnd: Int32(path.upperBound - base),
                valueStart: Int32(value.lowerBound - base), valueEnd: Int32(value.upperBound - base)))
    }
}
