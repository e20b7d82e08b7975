import CLZ4
import CSnappy
import CZlib
import CZstd
import Foundation

@testable import SSTable

/// Makes variants of real SSTables in a temporary folder: recompressed with another compressor,
/// uncompressed (with CRC.db), or damaged. The rows must read the same as the original.
enum SSTableRewriter {
    /// A fresh temporary folder.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("c2d-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Copies a table folder into a new temporary folder named like the original.
    static func copy(_ folder: URL) throws -> URL {
        let target = try temporaryDirectory().appendingPathComponent("legacy_tables").appendingPathComponent(folder.lastPathComponent)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: folder, to: target)
        for name in try FileManager.default.contentsOfDirectory(atPath: target.path) {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: target.appendingPathComponent(name).path)
        }
        return target
    }

    /// The uncompressed bytes of an SSTable's Data.db, read through the reader's own input.
    static func uncompressedData(_ descriptor: SSTableDescriptor) throws -> [UInt8] {
        let compressionPath = descriptor.path("CompressionInfo.db")
        let info = try CompressionInfo.parse(Array(try Data(contentsOf: URL(fileURLWithPath: compressionPath))), path: compressionPath, version: descriptor.version)
        let input = try DataInput(descriptor: descriptor, compression: info, blockChecksumsPath: nil)
        while try input.refill() {}
        var bytes: [UInt8] = []
        try input.parse("the data") { (c) throws(CursorError) in
            bytes = Array(c.bytes[c.position..<c.end])
            c.position = c.end
        }
        return bytes
    }

    /// Rewrites the SSTable's Data.db with `compressor` (nil: uncompressed plus CRC.db) and
    /// updates CompressionInfo.db and TOC.txt to match.
    static func recompress(_ descriptor: SSTableDescriptor, with compressor: ChunkCompressor?, chunkLength: Int = 4096) throws {
        let data = try uncompressedData(descriptor)
        let fm = FileManager.default
        let dataURL = URL(fileURLWithPath: descriptor.dataPath)
        let tocURL = URL(fileURLWithPath: descriptor.path("TOC.txt"))
        var toc = (try? String(contentsOf: tocURL, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
        guard let compressor else {
            try Data(data).write(to: dataURL)
            try writeDigest(descriptor, data)
            try? fm.removeItem(atPath: descriptor.path("CompressionInfo.db"))
            var crc: [UInt8] = []
            appendInt32(UInt32(chunkLength), to: &crc)
            var offset = 0
            while offset < data.count {
                let end = min(offset + chunkLength, data.count)
                appendInt32(data[offset..<end].withUnsafeBytes { Checksum.crc32($0) }, to: &crc)
                offset = end
            }
            try Data(crc).write(to: URL(fileURLWithPath: descriptor.path("CRC.db")))
            toc = toc.filter { $0 != "CompressionInfo.db" } + ["CRC.db"]
            try toc.joined(separator: "\n").appending("\n").write(to: tocURL, atomically: true, encoding: .utf8)
            return
        }
        var file: [UInt8] = []
        var offsets: [Int64] = []
        var offset = 0
        while offset < data.count {
            let end = min(offset + chunkLength, data.count)
            let chunk = compress(Array(data[offset..<end]), with: compressor)
            offsets.append(Int64(file.count))
            file.append(contentsOf: chunk)
            appendInt32(chunk.withUnsafeBytes { descriptor.version.usesCRC32Checksums ? Checksum.crc32($0) : Checksum.adler32($0) }, to: &file)
            offset = end
        }
        try Data(file).write(to: dataURL)
        try writeDigest(descriptor, file)
        var info: [UInt8] = []
        let name = Array(compressor.rawValue.utf8)
        info.append(UInt8(name.count >> 8)); info.append(UInt8(name.count & 0xFF)); info.append(contentsOf: name)
        appendInt32(0, to: &info)  // options
        appendInt32(UInt32(chunkLength), to: &info)
        if descriptor.version.hasMaxCompressedLength { appendInt32(UInt32(Int32.max), to: &info) }
        appendInt64(UInt64(data.count), to: &info)
        appendInt32(UInt32(offsets.count), to: &info)
        for o in offsets { appendInt64(UInt64(o), to: &info) }
        try Data(info).write(to: URL(fileURLWithPath: descriptor.path("CompressionInfo.db")))
    }

    /// Rewrites the whole-file Digest component (if the SSTable has one) for new Data.db bytes.
    static func writeDigest(_ descriptor: SSTableDescriptor, _ bytes: [UInt8]) throws {
        for name in ["Digest.crc32", "Digest.adler32", "Digest.sha1"] where FileManager.default.fileExists(atPath: descriptor.path(name)) {
            let sum = bytes.withUnsafeBytes { name == "Digest.crc32" ? Checksum.crc32($0) : Checksum.adler32($0) }
            try String(sum).write(toFile: descriptor.path(name), atomically: true, encoding: .utf8)
        }
    }

    /// One chunk compressed the way Cassandra's compressor of that name writes it.
    static func compress(_ input: [UInt8], with compressor: ChunkCompressor) -> [UInt8] {
        switch compressor {
        case .lz4:
            var out = [UInt8](repeating: 0, count: Int(LZ4_compressBound(Int32(input.count))) + 4)
            let n = input.withUnsafeBytes { src in
                out.withUnsafeMutableBytes { dst in
                    LZ4_compress_default(src.baseAddress!.assumingMemoryBound(to: CChar.self), (dst.baseAddress! + 4).assumingMemoryBound(to: CChar.self), Int32(input.count), Int32(dst.count - 4))
                }
            }
            let length = UInt32(input.count)
            out[0] = UInt8(length & 0xFF); out[1] = UInt8(length >> 8 & 0xFF); out[2] = UInt8(length >> 16 & 0xFF); out[3] = UInt8(length >> 24)
            return Array(out[0..<(Int(n) + 4)])
        case .snappy:
            var length = snappy_max_compressed_length(input.count)
            var out = [UInt8](repeating: 0, count: length)
            _ = input.withUnsafeBytes { src in
                out.withUnsafeMutableBytes { dst in
                    snappy_compress(src.baseAddress!.assumingMemoryBound(to: CChar.self), input.count, dst.baseAddress!.assumingMemoryBound(to: CChar.self), &length)
                }
            }
            return Array(out[0..<length])
        case .deflate:
            var length = compressBound(uLong(input.count))
            var out = [UInt8](repeating: 0, count: Int(length))
            _ = CZlib.compress(&out, &length, input, uLong(input.count))
            return Array(out[0..<Int(length)])
        case .zstd:
            var out = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
            let n = ZSTD_compress(&out, out.count, input, input.count, 3)
            return Array(out[0..<n])
        case .noop:
            return input
        }
    }

    static func appendInt32(_ v: UInt32, to out: inout [UInt8]) {
        out.append(contentsOf: [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)])
    }

    static func appendInt64(_ v: UInt64, to out: inout [UInt8]) {
        appendInt32(UInt32(v >> 32), to: &out)
        appendInt32(UInt32(v & 0xFFFF_FFFF), to: &out)
    }
}
