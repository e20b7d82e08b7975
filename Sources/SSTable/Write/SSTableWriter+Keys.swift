import CQL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SSTableWriter {
    /// Sorts serialized partition keys into the partitioner's order (the order `append` needs)
    /// and drops duplicates.
    public static func sortKeys(_ keys: [[UInt8]], partitioner: Partitioner = .murmur3) -> [[UInt8]] {
        let positions = keys.map { partitioner.position(of: $0) }
        let order = positions.indices.sorted { partitioner.compare(positions[$0], positions[$1]) < 0 }
        var out: [[UInt8]] = []
        for (n, i) in order.enumerated() where n == 0 || partitioner.compare(positions[order[n - 1]], positions[i]) != 0 {
            out.append(keys[i])
        }
        return out
    }

    /// Gives up on an SSTable that will not be finished: removes every file it created.
    public func abandon() {
        for component in ["Data.db", "Index.db", "Partitions.db", "Rows.db", "CompressionInfo.db", "CRC.db", "Summary.db", "Filter.db", "Statistics.db", "Digest.crc32", "TOC.txt"] {
            unlink(descriptor.path(component))
        }
    }
}
