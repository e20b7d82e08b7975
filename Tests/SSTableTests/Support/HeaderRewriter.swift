import Foundation
import Testing

@testable import SSTable

/// Rewrites the type strings of an SSTable's serialization header (Statistics.db's HEADER
/// component), as other writers and Cassandra versions record them: the component and the
/// offsets after it move, and on na+ the component's CRC and the table's CRC are recomputed.
enum HeaderRewriter {
    /// Which type of the header a string is.
    enum Slot: Equatable {
        case key
        case clustering(Int)
        case column(String)
    }

    /// Replaces each type string `t` of slot `s` with `change(s, t)`; returns the strings as they were.
    @discardableResult
    static func rewrite(_ descriptor: SSTableDescriptor, _ change: (Slot, String) -> String) throws -> [String] {
        let path = descriptor.path("Statistics.db")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let checksummed = descriptor.version.hasMetadataChecksums
        func int32(_ at: Int) -> Int { Int(UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])) }
        let count = int32(0)
        let tableStart = checksummed ? 8 : 4
        let entries = (0..<count).map { (type: int32(tableStart + $0 * 8), offset: int32(tableStart + $0 * 8 + 4)) }
        let header = try #require(entries.first { $0.type == Statistics.ComponentType.header.rawValue })
        let next = entries.map(\.offset).filter { $0 > header.offset }.min() ?? bytes.count
        let bodyEnd = checksummed ? next - 4 : next

        var before: [String] = []
        var out: [UInt8] = []
        try bytes.withUnsafeBytes { raw in
            var c = ByteCursor(raw, from: header.offset, end: bodyEnd)
            for _ in 0..<3 { out.appendUnsignedVInt(try c.readUnsignedVInt()) }
            func type(_ slot: Slot) throws {
                let t = try c.readVIntString()
                before.append(t)
                out.appendVIntBytes(Array(change(slot, t).utf8))
            }
            try type(.key)
            let clustering = try c.readVIntLength()
            out.appendUnsignedVInt(clustering)
            for i in 0..<clustering { try type(.clustering(i)) }
            for _ in 0..<2 {
                let columns = try c.readVIntLength()
                out.appendUnsignedVInt(columns)
                for _ in 0..<columns {
                    let name = try c.readVIntString()
                    out.appendVIntBytes(Array(name.utf8))
                    try type(.column(name))
                }
            }
        }
        if checksummed { out.appendInt32(out.withUnsafeBytes { Checksum.crc32($0) }) }
        let shift = out.count - (next - header.offset)
        bytes.replaceSubrange(header.offset..<next, with: out)
        for (i, e) in entries.enumerated() where e.offset > header.offset {
            let at = tableStart + i * 8 + 4
            bytes.replaceSubrange(at..<(at + 4), with: bigEndian(UInt32(e.offset + shift)))
        }
        if checksummed {
            let crcAt = 8 + count * 8
            let crc = bytes.withUnsafeBytes { raw in
                Checksum.crc32(continuing: Checksum.crc32(UnsafeRawBufferPointer(rebasing: raw[0..<4])), UnsafeRawBufferPointer(rebasing: raw[8..<crcAt]))
            }
            bytes.replaceSubrange(crcAt..<(crcAt + 4), with: bigEndian(crc))
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return before
    }

    private static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
}
