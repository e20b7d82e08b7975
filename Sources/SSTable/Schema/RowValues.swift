import CQL

/// Typed reads of the simple values system tables hold, by column name.
struct RowValues {
    private var values: [String: [UInt8]] = [:]
    private var cells: [String: [([UInt8], [UInt8])]] = [:]

    init(_ row: RowView) throws {
        for (i, column) in row.columns.enumerated() {
            try row.withValue(ofColumn: i) { value in
                switch value {
                case .null: break
                case .value(let bytes): values[column.name] = Array(bytes)
                case .counter(let n): values[column.name] = withUnsafeBytes(of: n.bigEndian) { Array($0) }
                case .cells(let c):
                    var list: [([UInt8], [UInt8])] = []
                    c.forEach { path, value in list.append((Array(path), Array(value))) }
                    cells[column.name] = list
                }
            }
        }
    }

    func text(_ name: String) -> String? { values[name].map { String(decoding: $0, as: UTF8.self) } }

    func int(_ name: String) -> Int? {
        guard let b = values[name], b.count == 4 else { return nil }
        return Int(Int32(bitPattern: UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])))
    }

    func long(_ name: String) -> Int64? {
        guard let b = values[name], b.count == 8 else { return nil }
        return b.reduce(Int64(0)) { $0 << 8 | Int64($1) }
    }

    func bool(_ name: String) -> Bool? { values[name].flatMap { $0.first.map { $0 != 0 } } }

    /// A frozen list or set of text (int32 count, then int32-length elements), or a non-frozen
    /// one (cells: set elements are paths, list elements are values).
    func texts(_ name: String, fromPaths: Bool = false) -> [String]? {
        if let list = cells[name] { return list.map { String(decoding: fromPaths ? $0.0 : $0.1, as: UTF8.self) } }
        guard let b = values[name] else { return nil }
        return Self.frozenElements(b)?.map { String(decoding: $0, as: UTF8.self) }
    }

    /// A frozen or non-frozen map of text to text.
    func textMap(_ name: String) -> [String: String]? {
        if let list = cells[name] {
            return Dictionary(list.map { (String(decoding: $0.0, as: UTF8.self), String(decoding: $0.1, as: UTF8.self)) }, uniquingKeysWith: { _, b in b })
        }
        guard let b = values[name], let e = Self.frozenElements(b, pairs: true), e.count % 2 == 0 else { return nil }
        var map: [String: String] = [:]
        for i in stride(from: 0, to: e.count, by: 2) { map[String(decoding: e[i], as: UTF8.self)] = String(decoding: e[i + 1], as: UTF8.self) }
        return map
    }

    /// A non-frozen map of text to bigint (2.x `dropped_columns`).
    func bigintMap(_ name: String) -> [String: Int64]? {
        guard let list = cells[name] else { return nil }
        var map: [String: Int64] = [:]
        for (k, v) in list where v.count == 8 { map[String(decoding: k, as: UTF8.self)] = v.reduce(Int64(0)) { $0 << 8 | Int64($1) } }
        return map
    }

    private static func frozenElements(_ b: [UInt8], pairs: Bool = false) -> [[UInt8]]? {
        b.withUnsafeBytes { raw -> [[UInt8]]? in
            var c = ByteCursor(raw)
            do throws(CursorError) {
                let count = Int(try c.readInt32()) * (pairs ? 2 : 1)
                guard count >= 0 else { return nil }
                var out: [[UInt8]] = []
                for _ in 0..<count {
                    let n = Int(try c.readInt32())
                    out.append(n < 0 ? [] : Array(UnsafeRawBufferPointer(rebasing: raw[try c.take(n)])))
                }
                return out
            } catch { return nil }
        }
    }
}
