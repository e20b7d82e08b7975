import CQL

/// Writes one SSTable of a table in Cassandra's BIG format, `nb` (4.0/4.1, also read by 5.0)
/// or `me` (3.0.25+/3.11.11+): Data.db (LZ4-compressed with CompressionInfo.db, or plain with
/// CRC.db), Index.db, Summary.db, Filter.db, Statistics.db, Digest.crc32 and TOC.txt. Or, as
/// test data for BTI readers, `na`-`bti`: the `na` row format without metadata checksums (as
/// the pre-OSS trie line has it) with a Cassandra 5.0 Partitions.db and Rows.db
/// (`BTIIndexWriter`) instead of Index.db and Summary.db; no Cassandra writes that combination.
///
/// Partitions must be appended in the partitioner's order (strictly increasing); the writer
/// checks it. Memory use is bounded by the largest partition plus 16 bytes per partition for
/// the Bloom filter.
public final class SSTableWriter {
    /// How the SSTable is written.
    public struct Options: Sendable {
        /// `nb` or `me` (`big`), `na` (`bti`).
        public var version: String
        /// `big` or `bti`.
        public var format: String
        /// Bytes of rows per row index block; a partition of more than one block gets a row index
        /// (`big`: a promoted index in Index.db; `bti`: a Rows.db trie). nil: Cassandra's default,
        /// `column_index_size` 64 KiB for `big`, `row_index_granularity` 16 KiB for `bti`.
        public var rowIndexSize: Int?
        /// `.lz4` (Cassandra's default) or nil for an uncompressed Data.db.
        public var compressor: ChunkCompressor?
        /// Uncompressed bytes per chunk; nil: Cassandra's default (16 KiB in 4.x, 64 KiB in 3.x).
        public var chunkLength: Int?
        public var partitioner: Partitioner

        public init(
            version: String = "nb", format: String = "big", compressor: ChunkCompressor? = .lz4, chunkLength: Int? = nil, partitioner: Partitioner = .murmur3,
            rowIndexSize: Int? = nil
        ) {
            self.version = version
            self.format = format
            self.rowIndexSize = rowIndexSize
            self.compressor = compressor
            self.chunkLength = chunkLength
            self.partitioner = partitioner
        }
    }

    public let descriptor: SSTableDescriptor
    let layout: WriteLayout
    private let options: Options
    private var serializer: PartitionSerializer
    private var collector: MetadataCollector
    private let data: DataFileWriter
    /// `big`: Index.db and Summary.db; `bti`: Partitions.db and Rows.db.
    private let index: IndexWriter?
    private let trieIndex: BTIIndexWriter?
    private var filter = BloomFilterWriter()
    private var partition: [UInt8] = []
    private var rowIndex: RowIndexBuilder
    private var previous: Partitioner.Position?
    /// Partitions and rows written so far.
    public private(set) var partitionCount = 0

    /// Creates the SSTable's files as `<directory>/<version>-<generation>-<format>-*`.
    public init(directory: String, generation: Int, schema: TableSchema, options: Options = Options(), stats: EncodingStats = .none) throws(SSTableError) {
        let version = SSTableVersion(options.version, format: options.format)
        guard options.format == "big" ? options.version == "nb" || options.version == "me" : options.format == "bti" && options.version == "na" else {
            throw SSTableError(path: directory, "the writer writes SSTable versions nb-big, me-big and na-bti, not '\(options.version)-\(options.format)'")
        }
        if options.format == "bti", options.partitioner != .murmur3 { throw SSTableError(path: directory, "the writer writes BTI SSTables for Murmur3Partitioner only") }
        if let c = options.compressor, c != .lz4, c != .snappy, c != .deflate, c != .zstd || version.letters < "na" {
            throw SSTableError(path: directory, "\(c.rawValue) cannot be written for version \(options.version)")
        }
        guard !schema.partitionKey.isEmpty else { throw SSTableError(path: directory, "table \(schema.name) has no partition key") }
        descriptor = SSTableDescriptor(
            directory: directory, prefix: "\(options.version)-\(generation)-\(options.format)", version: version, generation: String(generation),
            keyspace: nil, table: nil)
        self.options = options
        layout = WriteLayout(schema: schema, stats: stats)
        serializer = PartitionSerializer(layout: layout, stats: stats)
        collector = MetadataCollector(clusteringTypes: layout.clusteringTypes)
        if version.letters < "na" { collector.tombstoneDropTimes.roundSeconds = 1 }
        let chunkLength = options.chunkLength ?? (version.letters >= "na" ? 16384 : 65536)
        guard chunkLength > 0, chunkLength & (chunkLength - 1) == 0 else {
            throw SSTableError(path: directory, "chunk length \(chunkLength) is not a power of two")
        }
        data = try DataFileWriter(
            path: descriptor.dataPath, compressor: options.compressor, chunkLength: options.compressor == nil ? 65536 : chunkLength,
            hasMaxCompressedLength: version.hasMaxCompressedLength)
        if options.format == "bti" {
            index = nil
            trieIndex = try BTIIndexWriter(
                partitionsPath: descriptor.path("Partitions.db"), rowsPath: descriptor.path("Rows.db"), clusteringTypes: layout.clusteringTypes,
                version: version)
        } else {
            index = try IndexWriter(path: descriptor.path("Index.db"))
            trieIndex = nil
        }
        let blockSize = options.rowIndexSize ?? (options.format == "bti" ? 16 << 10 : 64 << 10)
        guard blockSize > 0 else { throw SSTableError(path: directory, "row index block size \(blockSize) is not positive") }
        rowIndex = RowIndexBuilder(blockSize: blockSize, big: options.format == "big")
        partition.reserveCapacity(1 << 16)
    }

    /// The static columns in the order cells refer to them (`CellUpdate.column`).
    public var staticColumns: [String] { layout.staticColumns.map(\.name) }
    /// The regular columns in the order cells refer to them.
    public var regularColumns: [String] { layout.regularColumns.map(\.name) }

    /// Appends one partition; it must sort after the previous one.
    public func append(_ p: PartitionUpdate) throws(SSTableError) {
        let (h1, h2) = p.key.withUnsafeBytes { Murmur3.hash128($0) }
        let position: Partitioner.Position
        if options.partitioner == .murmur3 {
            let token = Int64(bitPattern: h1)
            position = Partitioner.Position(token: .long(token == .min ? .max : token), key: p.key)
        } else {
            position = options.partitioner.position(of: p.key)
        }
        if let previous, options.partitioner.compare(previous, position) >= 0 {
            throw SSTableError(path: descriptor.dataPath, offset: data.position, "partitions must be appended in partitioner order, each key once")
        }
        guard p.key.count <= Int(UInt16.max) else { throw SSTableError(path: descriptor.dataPath, "partition key longer than 65535 bytes") }
        previous = position
        partition.removeAll(keepingCapacity: true)
        do {
            _ = try serializer.serialize(p, into: &partition, collector: &collector, rowIndex: &rowIndex)
        } catch {
            throw SSTableError(path: descriptor.dataPath, offset: data.position, "partition \(partitionCount): \(error.description)")
        }
        try index?.add(key: p.key, dataPosition: data.position, deletion: p.deletion, rowIndex: rowIndex, widths: layout.clusteringWidths)
        try trieIndex?.add(key: p.key, dataPosition: data.position, deletion: p.deletion, rowIndex: rowIndex)
        try data.append(partition)
        filter.add(h1: h1, h2: h2)
        partitionCount += 1
    }

    /// Writes the remaining components; the SSTable is complete once this returns.
    @discardableResult
    public func finish() throws(SSTableError) -> SSTableDescriptor {
        guard partitionCount > 0 else { throw SSTableError(path: descriptor.dataPath, "no partitions to write") }
        let sidecar = try data.finish()
        try index?.finish()
        try trieIndex?.finish()
        let compressed = options.compressor != nil
        try OutputFile.write(sidecar, to: descriptor.path(compressed ? "CompressionInfo.db" : "CRC.db"))
        if let index { try OutputFile.write(index.summary(), to: descriptor.path("Summary.db")) }
        try OutputFile.write(filter.serialized(byteReversedWords: descriptor.version.hasOldBloomFilterFormat), to: descriptor.path("Filter.db"))
        let ratio = compressed ? Double(data.fileSize) / Double(max(data.position, 1)) : -1.0
        let stats = StatisticsWriter.serialize(
            version: descriptor.version, partitionerClass: Self.partitionerClass(options.partitioner), collector: collector,
            header: layout.header, compressionRatio: ratio)
        try OutputFile.write(stats, to: descriptor.path("Statistics.db"))
        try OutputFile.write(Array(String(data.fileCRC).utf8), to: descriptor.path("Digest.crc32"))
        let indexes = index == nil ? ["Partitions.db", "Rows.db"] : ["Index.db", "Summary.db"]
        let toc = [compressed ? "CompressionInfo.db" : "CRC.db", indexes[0], "TOC.txt", "Filter.db", indexes[1], "Statistics.db", "Digest.crc32", "Data.db"]
        try OutputFile.write(Array(toc.map { $0 + "\n" }.joined().utf8), to: descriptor.path("TOC.txt"))
        return descriptor
    }

    /// A table's static and regular columns in the order `CellUpdate.column` refers to them:
    /// Cassandra's column order (simple before complex, then by name bytes).
    public static func columnOrder(_ schema: TableSchema) -> (statics: [ColumnSchema], regulars: [ColumnSchema]) {
        let layout = WriteLayout(schema: schema, stats: .none)
        func lookup(_ names: [WriteLayout.ColumnInfo], _ columns: [ColumnSchema]) -> [ColumnSchema] {
            names.map { n in columns.first { $0.name == n.name }! }
        }
        return (lookup(layout.staticColumns, schema.staticColumns), lookup(layout.regularColumns, schema.regularColumns))
    }

    /// Uncompressed Data.db bytes written so far.
    public var dataLength: Int64 { data.position }

    static func partitionerClass(_ p: Partitioner) -> String {
        switch p {
        case .murmur3: return "org.apache.cassandra.dht.Murmur3Partitioner"
        case .random: return "org.apache.cassandra.dht.RandomPartitioner"
        case .byteOrdered: return "org.apache.cassandra.dht.ByteOrderedPartitioner"
        case .orderPreserving: return "org.apache.cassandra.dht.OrderPreservingPartitioner"
        case .local: return "org.apache.cassandra.dht.LocalPartitioner"
        }
    }
}
