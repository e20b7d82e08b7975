import CQL

/// Small JSON pieces the row writer needs around the values CQL encodes.
enum JSONText {
    /// A column name as a `SELECT JSON` key: names that need quoting in CQL (upper case,
    /// symbols) keep their double quotes inside the key, as Cassandra writes them.
    static func appendKey(_ name: String, to out: inout [UInt8]) {
        let plain = !name.isEmpty && name.utf8.allSatisfy { c in
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
        } && !(name.utf8.first! >= UInt8(ascii: "0") && name.utf8.first! <= UInt8(ascii: "9"))
        JSON.appendString(plain ? name : "\"" + name.replacingDoubleQuotes() + "\"", to: &out)
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

extension String {
    /// CQL quoted identifiers double their inner quotes.
    fileprivate func replacingDoubleQuotes() -> String {
        var s = ""
        for c in self { s.append(c); if c == "\"" { s.append("\"") } }
        return s
    }
}
