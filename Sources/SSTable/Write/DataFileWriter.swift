/// Writes Data.db: plain with a CRC.db of per-chunk CRC32s, or in compressed chunks each followed
/// by the CRC32 of its compressed bytes, with the CompressionInfo.db that locates them. Keeps the
/// whole-file CRC32 for Digest.crc32.
final class DataFileWriter {
    let file: OutputFile
    let compressor: ChunkCompressor?
    let chunkLength: Int
    /// na+: CompressionInfo carries `maxCompressedLength`.
    let hasMaxCompressedLength: Bool
    /// Uncompressed bytes written so far: the position partitions are indexed at.
    private(set) var position: Int64 = 0
    private var pending: [UInt8] = []
    private var compressed: [UInt8] = []
    private var chunkOffsets: [Int64] = []
    private var chunkCRCs: [UInt32] = []
    private(set) var fileCRC: UInt32 = 0

    init(path: String, compressor: ChunkCompressor?, chunkLength: Int, hasMaxCompressedLength: Bool) throws(SSTableError) {
        file = try OutputFile(path)
        self.compressor = compressor
        self.chunkLength = chunkLength
        self.hasMaxCompressedLength = hasMaxCompressedLength
        pending.reserveCapacity(chunkLength * 2)
    }

    func append(_ bytes: [UInt8]) throws(SSTableError) {
        position += Int64(bytes.count)
        if pending.isEmpty && bytes.count < chunkLength {
            pending.append(contentsOf: bytes)
            return
        }
        pending.append(contentsOf: bytes)
        if pending.count >= chunkLength { try drain(final: false) }
    }

    /// Writes every full chunk of `pending` (and the last partial one when `final`).
    private func drain(final: Bool) throws(SSTableError) {
        var offset = 0
        while pending.count - offset >= chunkLength || (final && offset < pending.count) {
            let end = min(offset + chunkLength, pending.count)
            try pending.withUnsafeBytes { raw in
                Result { () throws(SSTableError) in try writeChunk(UnsafeRawBufferPointer(rebasing: raw[offset..<end])) }
            }.get()
            try file.flushIfFull()
            offset = end
        }
        pending.removeSubrange(0..<offset)
    }

    private func writeChunk(_ chunk: UnsafeRawBufferPointer) throws(SSTableError) {
        guard let compressor else {
            chunkCRCs.append(Checksum.crc32(chunk))
            fileCRC = Checksum.crc32(continuing: fileCRC, chunk)
            file.buffer(chunk)
            return
        }
        chunkOffsets.append(file.position)
        do { try compressor.compress(chunk, into: &compressed) } catch {
            throw SSTableError(path: file.path, "cannot write chunk \(chunkOffsets.count - 1): \(error)")
        }
        let crc = compressed.withUnsafeBytes { Checksum.crc32($0) }
        compressed.appendInt32(crc)
        compressed.withUnsafeBytes { raw in
            fileCRC = Checksum.crc32(continuing: fileCRC, raw)
            file.buffer(raw)
        }
    }

    /// Flushes the last chunk and closes Data.db; returns the CompressionInfo.db or CRC.db bytes.
    func finish() throws(SSTableError) -> [UInt8] {
        try drain(final: true)
        try file.close()
        var out: [UInt8] = []
        guard let compressor else {
            out.appendInt32(Int32(chunkLength))
            for crc in chunkCRCs { out.appendInt32(crc) }
            return out
        }
        out.appendUTF(compressor.rawValue)
        out.appendInt32(Int32(0))  // no options
        out.appendInt32(Int32(chunkLength))
        if hasMaxCompressedLength { out.appendInt32(Int32.max) }
        out.appendInt64(position)
        out.appendInt32(Int32(chunkOffsets.count))
        for o in chunkOffsets { out.appendInt64(o) }
        return out
    }

    /// Data.db bytes on disk.
    var fileSize: Int64 { file.position }
}
