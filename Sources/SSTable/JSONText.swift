import CQL

/// Small JSON pieces the row writer needs around the values CQL encodes.
enum JSONText {
    /// A column name and the colon after it.
    static func appendKey(_ name: String, to out: inout [UInt8]) {
        appendJSONColumnName(name, to: &out)
        out.append(UInt8(ascii: ":"))
    }

    static func appendNull(to out: inout [UInt8]) {
        out.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
    }

    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { raw in
            try? CQLType.bigint.appendJSON(raw, to: &out)
        }
    }
}
