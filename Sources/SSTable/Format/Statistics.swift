/// What Statistics.db tells a reader: the partitioner, the serialization header (3.0+) and a few
/// statistics for `inspect`.
public struct Statistics: Sendable {
    /// Fully-qualified partitioner class, e.g. `org.apache.cassandra.dht.Murmur3Partitioner`.
    public var partitionerClass: String
    public var bloomFilterFPChance: Double?
    /// ma+ only.
    public var header: SerializationHeader?
    /// Estimated partition count (sum of the partition-size histogram), when readable.
    public var estimatedPartitions: Int64?
    /// Smallest and largest write timestamp (µs) of anything in the file: cells, row markers and
    /// tombstones; every version (STATS, or 2.0's legacy blob).
    public var minTimestamp: Int64?
    public var maxTimestamp: Int64?
    /// Largest local deletion time (s) in the file: tombstones' deletion times and expiring
    /// cells' expiry, or ``noDeletionTime`` when anything in it never expires (a live cell
    /// without TTL) — Cassandra counts those as `NO_DELETION_TIME`; every version.
    public var maxLocalDeletionTime: Int64?
    public var compressionRatio: Double?
    /// Rows written (ma+), when readable.
    public var totalRows: Int64?

    /// Cassandra 5.0's `Cell.NO_DELETION_TIME`, which ``maxLocalDeletionTime`` takes for the
    /// 4-byte sentinel of any version (`Integer.MAX_VALUE` before oa, unsigned `0xFFFFFFFF` from oa).
    public static let noDeletionTime = Int64.max

    enum ComponentType: Int32 {
        case validation = 0, compaction = 1, stats = 2, header = 3

        /// Cassandra's `MetadataType` name, or the number of an unknown component.
        static func name(_ type: Int32) -> String {
            switch ComponentType(rawValue: type) {
            case .validation: "VALIDATION"
            case .compaction: "COMPACTION"
            case .stats: "STATS"
            case .header: "HEADER"
            case nil: "component \(type)"
            }
        }
    }

    /// Parses Statistics.db bytes.
    public static func parse(_ bytes: [UInt8], path: String, version: SSTableVersion) throws(SSTableError) -> Statistics {
        guard !bytes.isEmpty else { throw SSTableError(path: path, offset: 0, "file is empty") }
        return try parseComponent(bytes, path: path) { (raw) throws(CursorError) -> Statistics in
            guard version.hasMetadataComponentTable else {
                var stats = try parseLegacy(raw)
                var c = ByteCursor(raw)
                stats.readTimes(&c, version: version)
                return stats
            }
            var c = ByteCursor(raw)
            let count = Int(try c.readInt32())
            guard (1...32).contains(count) else { throw .malformed(at: 0, "bad component count \(count)") }
            if version.hasMetadataChecksums {
                let crcAt = c.position
                let stored = UInt32(bitPattern: try c.readInt32())
                if stored != Checksum.crc32(UnsafeRawBufferPointer(rebasing: raw[0..<4])) {
                    throw .malformed(at: crcAt, "checksum mismatch in the component count")
                }
            }
            var table: [(type: Int32, offset: Int)] = []
            for _ in 0..<count {
                let type = try c.readInt32()
                let offset = Int(try c.readInt32())
                guard offset >= 0, offset < raw.count else { throw .malformed(at: c.position - 4, "component offset \(offset) is outside the file") }
                table.append((type, offset))
            }
            if version.hasMetadataChecksums {
                let crcAt = c.position
                let stored = UInt32(bitPattern: try c.readInt32())
                // The CRC covers the count and the entries, not the count's own CRC.
                let crc = Checksum.crc32(UnsafeRawBufferPointer(rebasing: raw[0..<4]))
                let entries = UnsafeRawBufferPointer(rebasing: raw[8..<crcAt])
                if stored != Checksum.crc32(continuing: crc, entries) {
                    throw .malformed(at: crcAt, "checksum mismatch in the component table")
                }
            }
            // Cassandra writes the table in type order with rising offsets, but other writers do
            // not sort it; each component ends where the next one by offset starts, so the
            // table read by offset is unambiguous (3.x seeks each offset; 4.0 takes lengths
            // from consecutive offsets).
            table.sort { $0.offset < $1.offset }
            var stats = Statistics(partitionerClass: "")
            for (i, entry) in table.enumerated() {
                let end = i + 1 < table.count ? table[i + 1].offset : raw.count
                var bodyEnd = end
                if version.hasMetadataChecksums {
                    bodyEnd = end - 4
                    guard bodyEnd >= entry.offset else {
                        throw .malformed(at: entry.offset, "metadata component \(ComponentType.name(entry.type)) is shorter than its checksum")
                    }
                    let stored = UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: bodyEnd, as: UInt32.self))
                    if stored != Checksum.crc32(UnsafeRawBufferPointer(rebasing: raw[entry.offset..<bodyEnd])) {
                        throw .malformed(at: bodyEnd, "checksum mismatch in metadata component \(ComponentType.name(entry.type))")
                    }
                }
                var body = ByteCursor(raw, from: entry.offset, end: bodyEnd)
                switch ComponentType(rawValue: entry.type) {
                case .validation:
                    stats.partitionerClass = try body.readUTF()
                    stats.bloomFilterFPChance = try body.readDouble()
                case .header where version.isRowFormat:
                    stats.header = try SerializationHeader.parse(&body)
                case .stats where version.isRowFormat:
                    stats.readStats(&body, version: version)
                case .stats:
                    stats.readTimes(&body, version: version)
                default:
                    break
                }
            }
            guard !stats.partitionerClass.isEmpty else { throw .malformed(at: 0, "no VALIDATION component (partitioner)") }
            if version.isRowFormat, stats.header == nil { throw .malformed(at: 0, "no serialization header component") }
            return stats
        }
    }

    /// jb: one legacy blob; the partitioner is a writeUTF after the histograms and other fields.
    /// It is found by scanning for the `org.apache.cassandra.dht.` class name.
    private static func parseLegacy(_ raw: UnsafeRawBufferPointer) throws(CursorError) -> Statistics {
        let needle = Array("org.apache.cassandra.dht.".utf8)
        var i = 2
        while i + needle.count <= raw.count {
            if raw[i] == needle[0], needle.indices.allSatisfy({ raw[i + $0] == needle[$0] }) {
                var c = ByteCursor(raw, from: i - 2)
                return Statistics(partitionerClass: try c.readUTF())
            }
            i += 1
        }
        throw .malformed(at: 0, "no partitioner name in legacy statistics")
    }

    /// The start of STATS in every version, 2.0's legacy blob included (`StatsMetadataSerializer`,
    /// `LegacyMetadataSerializer`): the partition-size and cell-count histograms, a commit-log
    /// position, min/max timestamps, then the local deletion times — min and max from ma on, only
    /// the max before — unsigned from oa on. Best effort: a failure leaves the fields nil.
    @discardableResult
    private mutating func readTimes(_ c: inout ByteCursor, version: SSTableVersion) -> Bool {
        do throws(CursorError) {
            let buckets = Int(try c.readInt32())
            guard (0...10_000).contains(buckets) else { return false }
            var partitions: Int64 = 0
            for _ in 0..<buckets {
                _ = try c.readInt64()
                partitions &+= try c.readInt64()
            }
            let cellBuckets = Int(try c.readInt32())
            guard (0...10_000).contains(cellBuckets) else { return false }
            try c.skip(cellBuckets * 16)
            try c.skip(12)  // commit-log (replay) position: segment id, position
            let minTimestamp = try c.readInt64(), maxTimestamp = try c.readInt64()
            if version.isRowFormat { try c.skip(4) }  // min local deletion time
            let raw = UInt32(bitPattern: try c.readInt32())
            let none = version.hasUIntDeletionTime ? UInt32.max : UInt32(Int32.max)
            estimatedPartitions = partitions
            self.minTimestamp = minTimestamp
            self.maxTimestamp = maxTimestamp
            maxLocalDeletionTime = raw == none ? Self.noDeletionTime : version.hasUIntDeletionTime ? Int64(raw) : Int64(Int32(bitPattern: raw))
            return true
        } catch {
            return false
        }
    }

    /// STATS from ma on: ``readTimes(_:version:)``, then TTLs, the compression ratio, the
    /// tombstone histogram, level, repairedAt, min/max clustering values and the row count.
    /// Best effort, like ``readTimes(_:version:)``.
    private mutating func readStats(_ c: inout ByteCursor, version: SSTableVersion) {
        guard readTimes(&c, version: version) else { return }
        do throws(CursorError) {
            try c.skip(8)  // min/max TTL
            compressionRatio = try c.readDouble()
            // Tombstone drop-time histogram: max bin size, entry count, (double, long) entries.
            _ = try c.readInt32()
            let bins = Int(try c.readInt32())
            guard (0...100_000).contains(bins) else { return }
            try c.skip(bins * 16)
            try c.skip(4 + 8)  // sstable level, repairedAt
            for _ in 0..<2 {  // min and max clustering values
                let n = Int(try c.readInt32())
                guard (0...1000).contains(n) else { return }
                for _ in 0..<n { _ = try c.readShortBytes() }
            }
            try c.skip(1 + 8)  // hasLegacyCounterShards, totalColumnsSet
            let rows = try c.readInt64()
            if rows >= 0 { totalRows = rows }
        } catch {}
    }
}

