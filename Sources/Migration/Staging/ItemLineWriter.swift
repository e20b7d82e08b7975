import AWS
import DynamoMapping
import DynamoModel
import JSONCoding

/// Writes staged lines, `{"Item":{…}}` and a newline per item: straight from a row's values when
/// the converter's direct path takes the row (``ItemConverter/convertDirect(_:write:)``), else from
/// the item `convert` made. Both write the same bytes for the same item: its attributes in name
/// order (``SortedItemWriter``), each value's DynamoDB JSON by `AttributeValue`'s writers.
struct ItemLineWriter {
    /// `"name":` of each of the converter's direct attributes, one after the other: attribute
    /// `i`'s are `names[nameEnds[i - 1]..<nameEnds[i]]`.
    private let names: [UInt8]
    private let nameEnds: [Int]
    private var sorted = SortedItemWriter()

    init(directAttributes: [String]?) {
        var names: [UInt8] = []
        var ends: [Int] = []
        for name in directAttributes ?? [] {
            JSONWriter.writeString(name, into: &names)
            names.append(UInt8(ascii: ":"))
            ends.append(names.count)
        }
        (self.names, nameEnds) = (names, ends)
    }

    /// Writes the row's line by the direct path and returns true; false, with nothing written,
    /// when the row needs `convert`.
    func writeDirect<Row: RowSource>(_ row: Row, converter: inout ItemConverter, into out: inout [UInt8]) -> Bool {
        let mark = out.count
        out.append(contentsOf: Self.prefix)
        out.append(UInt8(ascii: "{"))
        var first = true
        let written = names.withUnsafeBytes { names in
            converter.convertDirect(row) { attribute, value in
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: names[(attribute == 0 ? 0 : nameEnds[attribute - 1])..<nameEnds[attribute]]))
                switch value {
                case .string(let text): AttributeValue.writeS(utf8: text, into: &out)
                case .number(let text): AttributeValue.writeN(text: text, into: &out)
                case .binary(let bytes): AttributeValue.writeB(bytes, into: &out)
                case .bool(let flag): AttributeValue.writeBool(flag, into: &out)
                }
            }
        }
        guard written else {
            out.removeSubrange(mark...)
            return false
        }
        out.append(UInt8(ascii: "}"))
        out.append(contentsOf: Self.suffix)
        return true
    }

    /// Writes an item's line.
    mutating func write(_ item: DynamoItem, into out: inout [UInt8]) {
        out.append(contentsOf: Self.prefix)
        sorted.write(item, into: &out)
        out.append(contentsOf: Self.suffix)
    }

    private static let prefix = Array("{\"Item\":".utf8)
    private static let suffix = Array("}\n".utf8)
}
