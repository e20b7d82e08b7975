/// Statistics.db: the component table, then VALIDATION, COMPACTION, STATS and HEADER
/// (`MetadataSerializer`); from na on with a CRC32 after the count, the table and each component.
enum StatisticsWriter {
    static func serialize(
        version: SSTableVersion, partitionerClass: String, collector: MetadataCollector, header: SerializationHeader,
        compressionRatio: Double
    ) -> [UInt8] {
        var validation: [UInt8] = []
        validation.appendUTF(partitionerClass)
        validation.appendDouble(0.01)

        var compaction: [UInt8] = []
        let hll = collector.cardinality.serialized()
        compaction.appendInt32(Int32(hll.count))
        compaction.append(contentsOf: hll)

        let components = [validation, compaction, stats(version: version, collector, compressionRatio: compressionRatio), header.serialized()]
        let checksummed = version.hasMetadataChecksums
        var out: [UInt8] = []
        out.appendInt32(Int32(components.count))
        if checksummed { out.withUnsafeBytes { out.appendInt32(Checksum.crc32(UnsafeRawBufferPointer(rebasing: $0[0..<4]))) } }
        var offset = out.count + components.count * 8 + (checksummed ? 4 : 0)
        for (type, body) in components.enumerated() {
            out.appendInt32(Int32(type))
            out.appendInt32(Int32(offset))
            offset += body.count + (checksummed ? 4 : 0)
        }
        if checksummed {
            // Over the count and the entries (not the count's own CRC).
            let crc = out.withUnsafeBytes { raw in
                Checksum.crc32(continuing: Checksum.crc32(UnsafeRawBufferPointer(rebasing: raw[0..<4])), UnsafeRawBufferPointer(rebasing: raw[8...]))
            }
            out.appendInt32(crc)
        }
        for body in components {
            out.append(contentsOf: body)
            if checksummed { out.appendInt32(body.withUnsafeBytes { Checksum.crc32($0) }) }
        }
        return out
    }

    /// STATS (`StatsMetadata.serializer`) for ma…nb.
    private static func stats(version: SSTableVersion, _ c: MetadataCollector, compressionRatio: Double) -> [UInt8] {
        var out: [UInt8] = []
        c.partitionSizes.serialize(into: &out)
        c.cellsPerPartition.serialize(into: &out)
        appendCommitLogPositionNone(&out)
        out.appendInt64(c.hasTimestamps ? c.minTimestamp : Int64.min)
        out.appendInt64(c.hasTimestamps ? c.maxTimestamp : Int64.min)
        out.appendInt32(Int32(truncatingIfNeeded: c.minLocalDeletionTime))
        out.appendInt32(Int32(truncatingIfNeeded: c.maxLocalDeletionTime))
        out.appendInt32(c.minTTL)
        out.appendInt32(c.maxTTL)
        out.appendDouble(compressionRatio)
        // 4.x writes the bin count as the max bin size; 3.x its configured 100.
        c.tombstoneDropTimes.serialize(into: &out, maxBinSize: version.letters >= "na" ? nil : Int32(TombstoneHistogram.maxBins))
        out.appendInt32(Int32(0))  // sstable level
        out.appendInt64(Int64(0))  // repairedAt
        for values in [c.minClustering, c.maxClustering] {
            let list = MetadataCollector.prefixList(values)
            out.appendInt32(Int32(list.count))
            for v in list { out.appendShortBytes(v) }
        }
        out.append(0)  // hasLegacyCounterShards
        out.appendInt64(c.totalColumnsSet)
        out.appendInt64(c.totalRows)
        if version.letters >= "mb" { appendCommitLogPositionNone(&out) }  // commit log lower bound
        if version.letters >= "mc" { out.appendInt32(Int32(0)) }  // commit log intervals: none
        if version.letters >= "na" {
            out.append(0)  // no pending repair
            out.append(0)  // not transient
        }
        if version.letters == "me" || version.letters >= "nb" { out.append(0) }  // no originating host id
        return out
    }

    /// `CommitLogPosition.NONE`: segment -1, position 0.
    private static func appendCommitLogPositionNone(_ out: inout [UInt8]) {
        out.appendInt64(Int64(-1))
        out.appendInt32(Int32(0))
    }
}
