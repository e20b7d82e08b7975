/// An SSTable format version (`jb` … `nb`, `oa`, `da`) with the reader features it implies.
/// Features are chosen per *(format, version)*, as Cassandra's `BigFormat`/`BtiFormat` do.
public struct SSTableVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The two-letter version, e.g. `mc`.
    public let letters: String
    /// `big` or `bti`.
    public let format: String

    public init(_ letters: String, format: String = "big") {
        self.letters = letters
        self.format = format
    }

    public var description: String { "\(letters)-\(format)" }

    public static func < (a: SSTableVersion, b: SSTableVersion) -> Bool { a.bigEquivalent < b.bigEquivalent }

    /// OSS BTI versions (`da`, Cassandra 5.0) read like BIG `oa`; other BTI letters come from a
    /// pre-OSS trie line that used BIG letters but no metadata checksums.
    private var isOSSTrie: Bool { format == "bti" && letters >= "da" && letters < "ea" }
    private var bigEquivalent: String { isOSSTrie ? "oa" : letters }
    private func atLeast(_ v: String) -> Bool { bigEquivalent >= v }

    /// True for the 2.x cell format (jb, ka, la, lb).
    public var isLegacyCellFormat: Bool { letters < "ma" }
    /// True for the 3.0+ "unfiltered" row format.
    public var isRowFormat: Bool { atLeast("ma") }
    /// Versions this reader knows how to read the rows of.
    public var isSupportedRowFormat: Bool { atLeast("ma") && bigEquivalent <= "oa" }
    /// A BTI SSTable from before OSS `da` (the `na` BTI line: no metadata CRCs).
    var isPreOSSTrie: Bool { format == "bti" && !isOSSTrie }
    /// na+: Statistics.db carries CRC32s after the count, the table and each component.
    public var hasMetadataChecksums: Bool { atLeast("na") && !isPreOSSTrie }
    /// na+: CompressionInfo.db carries `maxCompressedLength`; chunks may be stored raw.
    public var hasMaxCompressedLength: Bool { atLeast("na") && !isPreOSSTrie }
    /// ka+: Statistics.db starts with a component table (jb has one legacy blob).
    public var hasMetadataComponentTable: Bool { atLeast("ka") }
    /// ka+: Summary.db records its sampling level and its size at full sampling.
    public var hasSummarySamplingLevel: Bool { atLeast("ka") }
    /// Compressed chunk checksum: Adler32 before ma, CRC32 from ma on.
    public var usesCRC32Checksums: Bool { atLeast("ma") }
    /// Before na (and in the pre-OSS BTI line, as its files show): Filter.db stores its bit set
    /// as byte-reversed 8-byte words (`hasOldBfFormat`).
    public var hasOldBloomFilterFormat: Bool { !atLeast("na") || isPreOSSTrie }
    /// Before ma: Filter.db's two hash halves are used the other way round (`hasOldBfHashOrder`).
    public var hasOldBloomFilterHashOrder: Bool { !atLeast("ma") }
    /// oa+: unsigned 32-bit local deletion times and the compact DeletionTime encoding.
    public var hasUIntDeletionTime: Bool { atLeast("oa") }
}
