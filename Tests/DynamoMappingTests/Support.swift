import CQL
import DynamoModel
import Foundation
import TestSupport
import SSTable

@testable import DynamoMapping

/// Byte builders for serialized CQL values, written independently of the code under test.
enum Bytes {
    static func be(_ v: Int64, _ width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: v >> (8 * (width - 1 - $0))) }
    }
    static func int32(_ v: Int32) -> [UInt8] { be(Int64(v), 4) }
    static func int64(_ v: Int64) -> [UInt8] { be(v, 8) }
    static func text(_ s: String) -> [UInt8] { Array(s.utf8) }
    static func double(_ d: Double) -> [UInt8] { be(Int64(bitPattern: d.bitPattern), 8) }
    static func float(_ f: Float) -> [UInt8] { be(Int64(f.bitPattern), 4) }
    static func boolean(_ b: Bool) -> [UInt8] { [b ? 1 : 0] }

    /// Two's-complement minimal big-endian bytes of a decimal integer string (any size).
    static func varint(_ decimal: String) -> [UInt8] {
        var negative = false
        var digits = Array(decimal.utf8)
        if digits.first == UInt8(ascii: "-") { negative = true; digits.removeFirst() }
        // Magnitude in base 256, little-endian.
        var mag: [UInt8] = [0]
        for d in digits {
            var carry = Int(d - UInt8(ascii: "0"))
            for i in mag.indices {
                let v = Int(mag[i]) * 10 + carry
                mag[i] = UInt8(v & 0xFF)
                carry = v >> 8
            }
            while carry > 0 { mag.append(UInt8(carry & 0xFF)); carry >>= 8 }
        }
        if negative {
            // Two's complement: invert and add one.
            mag = mag.map { ~$0 }
            var i = 0
            while i < mag.count { mag[i] &+= 1; if mag[i] != 0 { break }; i += 1 }
            if mag.last! & 0x80 == 0 { mag.append(0xFF) }
        } else if mag.last! & 0x80 != 0 {
            mag.append(0)
        }
        var be = Array(mag.reversed())
        while be.count > 1, (be[0] == 0 && be[1] & 0x80 == 0) || (be[0] == 0xFF && be[1] & 0x80 != 0) { be.removeFirst() }
        return be
    }

    static func decimal(unscaled: String, scale: Int32) -> [UInt8] { int32(scale) + varint(unscaled) }

    static func collection(_ elements: [[UInt8]?]) -> [UInt8] { int32(Int32(elements.count)) + fields(elements) }
    static func map(_ kv: [[UInt8]?]) -> [UInt8] { int32(Int32(kv.count / 2)) + fields(kv) }
    static func fields(_ elements: [[UInt8]?]) -> [UInt8] {
        elements.flatMap { e -> [UInt8] in
            guard let e else { return int32(-1) }
            return int32(Int32(e.count)) + e
        }
    }
}

func column(_ name: String, _ type: CQLType, _ kind: ColumnKind = .regular) -> ColumnSchema {
    ColumnSchema(name: name, type: type, kind: kind)
}

extension CQLType {
    func cmp(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in compare(pa, pb) } }
    }
}

/// Converts one row of values (in `ItemConverter.outputOrder` order) and returns the items.
func convert(_ design: TableDesign, _ schema: TableSchema, _ row: BufferedRow) throws -> (items: [ConvertedItem], converter: ItemConverter) {
    var converter = try ItemConverter(design: design, schema: schema)
    var items: [ConvertedItem] = []
    try converter.convert(row) { items.append($0) }
    return (items, converter)
}

