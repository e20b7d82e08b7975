/// One SSTable opened for reading: its descriptor, components, Statistics and compression.
public struct SSTable: Sendable {
    public let descriptor: SSTableDescriptor
    /// Component names present (from TOC.txt when it exists, else from the folder listing).
    public let components: Set<String>
    public let statistics: Statistics
    public let compression: CompressionInfo?
    /// Size of Data.db on disk.
    public let dataFileSize: Int64

    /// Opens the SSTable: reads TOC/Statistics/CompressionInfo and checks Data.db is there.
    public init(_ descriptor: SSTableDescriptor, components listed: Set<String>) throws(SSTableError) {
        self.descriptor = descriptor
        var components = listed
        let tocPath = descriptor.path("TOC.txt")
        if SSTableStorage.exists(tocPath) {
            let text = String(decoding: try SSTableStorage.open(tocPath).readAll(limit: 1 << 20), as: UTF8.self)
            let toc = Set(text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(String.init).filter { !$0.isEmpty })
            for name in toc where !listed.contains(name) && name != "TOC.txt" {
                // A component the TOC promises but the folder lacks: only Data, Statistics and
                // CompressionInfo matter for reading.
                if ["Data.db", "Statistics.db", "CompressionInfo.db"].contains(name) {
                    throw SSTableError(path: descriptor.path(name), "missing (listed in TOC.txt)")
                }
            }
            components.formUnion(toc.filter { listed.contains($0) })
        }
        self.components = components
        let dataPath = descriptor.dataPath
        let data = try SSTableStorage.open(dataPath)
        dataFileSize = data.size
        let statsPath = descriptor.path("Statistics.db")
        guard SSTableStorage.exists(statsPath) else { throw SSTableError(path: statsPath, "missing") }
        statistics = try Statistics.parse(try SSTableStorage.open(statsPath).readAll(), path: statsPath, version: descriptor.version)
        let compressionPath = descriptor.path("CompressionInfo.db")
        if SSTableStorage.exists(compressionPath) {
            compression = try CompressionInfo.parse(
                try SSTableStorage.open(compressionPath).readAll(), path: compressionPath, version: descriptor.version)
        } else {
            compression = nil
        }
        if dataFileSize == 0 {
            throw SSTableError(path: dataPath, offset: 0, "file is empty")
        }
    }

    public func hasComponent(_ name: String) -> Bool { components.contains(name) }

    /// The whole-file digest component, if any: `Digest.crc32` (ma+), `Digest.adler32` (la),
    /// `Digest.sha1` (ka, which holds an Adler32 despite its name).
    public var digestComponent: String? {
        ["Digest.crc32", "Digest.adler32", "Digest.sha1"].first { components.contains($0) }
    }

    /// Uncompressed Data.db length.
    public var uncompressedLength: Int64 { compression?.dataLength ?? dataFileSize }
}
