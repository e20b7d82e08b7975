import JSONCoding

/// Appends a column or UDT field name as a key in `SELECT JSON` output: names that are not all
/// lower case are wrapped in double quotes first, as Cassandra does (`"\"MyCol\""`).
public func appendJSONColumnName(_ name: String, to out: inout [UInt8]) {
    if name.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) {
        JSONWriter.writeString("\"" + name + "\"", into: &out)
    } else {
        JSONWriter.writeString(name, into: &out)
    }
}
