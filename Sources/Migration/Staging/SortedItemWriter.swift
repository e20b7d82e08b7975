import AWS
import DynamoModel
import JSONCoding

/// Writes items as DynamoDB JSON with their attributes in name order (UTF-8 byte order, as
/// `AttributeValue.writeItem(sortedKeys: true)`), so the same rows give the same bytes in every
/// run. Faster than sorting each item: it keeps the sorted names of every attribute seen so far
/// and writes an item's attributes in that order, sorting again only for a name it has not seen.
struct SortedItemWriter {
    private var names: [String] = []

    mutating func write(_ item: DynamoItem, into out: inout [UInt8]) {
        let mark = out.count
        if writeKnown(item, into: &out) { return }
        out.removeSubrange(mark...)
        names = Set(names).union(item.keys).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        _ = writeKnown(item, into: &out)
    }

    /// Writes the item's attributes the known names cover; false when it has others.
    private func writeKnown(_ item: DynamoItem, into out: inout [UInt8]) -> Bool {
        out.append(UInt8(ascii: "{"))
        var written = 0
        for name in names {
            guard let value = item[name] else { continue }
            if written > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(name, into: &out)
            out.append(UInt8(ascii: ":"))
            value.writeJSON(into: &out, sortedKeys: true)
            written += 1
        }
        out.append(UInt8(ascii: "}"))
        return written == item.count
    }
}
