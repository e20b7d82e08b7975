import CQL

/// Clusterings and bounds in the byte-comparable form BTI row indexes (Rows.db) are keyed by
/// (`ClusteringComparator.asByteComparable`, ByteComparable.md, version OSS50): per value 0x40
/// and the value's encoding, 0x3E for a null, 0x3F (0x41 for a DESC column) for an empty value;
/// then the kind's terminator: 0x38 for a clustering, 0x20 for bounds that sort before the rows
/// they prefix, 0x60 for those after, 0x18 for the static clustering.
///
/// Value encodings (each type's `asComparableBytes`; empty values of the fixed-width types are
/// empty components): int, smallint, tinyint and timestamp
/// big-endian with the sign bit flipped; bigint and counter as a variable-length signed integer
/// (`ByteSource.VariableLengthInteger`); date as is; float and double with the sign bit set, all
/// bits flipped when negative; uuid with the version nibble first (a time uuid's timestamp
/// reordered); timeuuid reordered, its low 8 bytes with each sign bit flipped; text, ascii, blob
/// and inet escaped (`ByteSource.AbstractEscaper`); DESC columns with every bit flipped. Other
/// types (varint, decimal, boolean, time, duration, collections, tuples, UDTs, custom types)
/// have no encoding here: `encoder` is nil for them.
struct ClusteringBytes {
    let types: [CQLType]

    /// nil when a clustering type has no byte-comparable encoding here.
    init?(types: [CQLType]) {
        guard types.allSatisfy(Self.supports) else { return nil }
        self.types = types
    }

    static func supports(_ type: CQLType) -> Bool {
        switch type {
        case .int, .smallint, .tinyint, .timestamp, .bigint, .counter, .date, .float, .double, .uuid, .timeuuid, .text, .ascii, .blob, .inet: return true
        case .reversed(let base): return supports(base)
        default: return false
        }
    }

    /// Types encoded by escaping their bytes: an empty value is 0x00, not an empty component.
    static func isEscaped(_ type: CQLType) -> Bool { [.text, .ascii, .blob, .inet].contains(type) }

    static let nextComponent: UInt8 = 0x40
    static let nextComponentNull: UInt8 = 0x3E
    static let nextComponentEmpty: UInt8 = 0x3F
    static let nextComponentEmptyReversed: UInt8 = 0x41

    /// The byte-comparable form of a clustering (`kind == .clustering`) or bound with `values`
    /// (nil: a null value).
    func encode<C: Collection>(kind: BoundKind, values: [C?]) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        for (i, value) in values.enumerated() {
            guard let value else {
                out.append(Self.nextComponentNull)
                continue
            }
            let type = types[i]
            if value.isEmpty, !Self.isEscaped(type.unreversed) {
                out.append(type.isReversedType ? Self.nextComponentEmptyReversed : Self.nextComponentEmpty)
                continue
            }
            out.append(Self.nextComponent)
            let start = out.count
            Self.appendValue(Array(value), type: type.unreversed, to: &out)
            if type.isReversedType {
                for j in start..<out.count { out[j] = ~out[j] }
            }
        }
        out.append(Self.terminator(kind))
        return out
    }

    /// The byte-comparable form of a clustering or bound as `ClusteringPrefix.serializer` writes
    /// it (`RowIndexItem.name`); nil when the bytes are not one.
    func encode(serialized bytes: [UInt8]) -> [UInt8]? {
        let widths = types.map { $0.fixedLength ?? -1 }
        let parsed: (BoundKind, [Range<Int>?])? = bytes.withUnsafeBytes { raw in
            var c = ByteCursor(raw)
            do throws(CursorError) {
                guard let kind = BoundKind(rawValue: try c.readUInt8()) else { return nil }
                let count = kind == .clustering ? widths.count : Int(try c.readUInt16())
                guard count <= widths.count else { return nil }
                var values: [Range<Int>?] = []
                while values.count < count {
                    let bits = try c.readUnsignedVInt()
                    let limit = min(count, values.count + 32)
                    while values.count < limit {
                        let shift = UInt64((values.count % 32) * 2)
                        if bits & (2 << shift) != 0 {
                            values.append(nil)
                        } else if bits & (1 << shift) != 0 {
                            values.append(c.position..<c.position)
                        } else {
                            let width = widths[values.count]
                            values.append(try c.take(width >= 0 ? width : try c.readVIntLength()))
                        }
                    }
                }
                return c.isAtEnd ? (kind, values) : nil
            } catch {
                return nil
            }
        }
        guard let (kind, values) = parsed else { return nil }
        return encode(kind: kind, values: values.map { $0.map { bytes[$0] } })
    }

    /// The terminator of a clustering prefix kind (`ClusteringPrefix.Kind.asByteComparableValue`).
    static func terminator(_ kind: BoundKind) -> UInt8 {
        switch kind.comparedToClustering {
        case 0: return 0x38
        case 1: return 0x60
        default: return kind == .staticClustering ? 0x18 : 0x20
        }
    }

    /// One value of a supported, non-reversed type (non-empty unless escaped).
    private static func appendValue(_ v: [UInt8], type: CQLType, to out: inout [UInt8]) {
        switch type {
        case .int, .smallint, .tinyint, .timestamp:
            out.append(v[0] ^ 0x80)
            out += v.dropFirst()
        case .bigint, .counter:
            appendVariableLengthInteger(v.reduce(Int64(0)) { $0 << 8 | Int64($1) }, to: &out)
        case .float, .double:
            let negative = v[0] >= 0x80
            for (i, b) in v.enumerated() {
                let byte = i == 0 ? b | 0x80 : b
                out.append(negative ? ~byte : byte)
            }
        case .uuid, .timeuuid:
            let msb = v.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            var lsb = v.dropFirst(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let version = (msb >> 12) & 0xF
            var hi = (version << 60) | ((msb >> 4) & 0x0FFF_FFFF_FFFF_F000) | (msb & 0xFFF)
            if type == .timeuuid || version == 1 { hi = (msb << 48) | ((msb << 16) & 0xFFFF_0000_0000) | (msb >> 32) }
            if type == .timeuuid { lsb ^= 0x8080_8080_8080_8080 }
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: hi >> UInt64(shift))) }
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: lsb >> UInt64(shift))) }
        case .date:
            out += v
        default:
            appendEscaped(v, to: &out)
        }
    }

    /// `ByteSource.variableLengthInteger`: the inverted sign bit, as many bits of the sign as
    /// extra bytes follow, then the two's complement value (1–9 bytes).
    static func appendVariableLengthInteger(_ value: Int64, to out: inout [UInt8]) {
        let negativeMask = value >> 63
        var v = UInt64(bitPattern: value ^ negativeMask)
        let bits = 64 - (v | 1).leadingZeroBitCount
        let bytes = bits / 7 + 1
        if bytes >= 9 {
            v |= 1 << 63
            v ^= UInt64(bitPattern: negativeMask)
            out.append(negativeMask < 0 ? 0x00 : 0xFF)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
            return
        }
        let mask = UInt64(bitPattern: (-0x100 >> Int64(bytes)) & 0xFF)
        v |= mask << UInt64(bytes * 8 - 8)
        v ^= UInt64(bitPattern: negativeMask)
        for shift in stride(from: (bytes - 1) * 8, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }

    /// Escaped bytes (`ByteSource.AbstractEscaper`, non-legacy): a 0x00 byte is written as 0x00;
    /// each further 0x00 right after it as 0xFE; a non-zero byte after a run of 0x00 is preceded
    /// by 0xFF. The value ends with 0x00, or 0xFE when its last byte is 0x00. E.g. `41 00 00 42`
    /// → `41 00 FE FF 42 00`.
    static func appendEscaped<C: Collection>(_ bytes: C, to out: inout [UInt8]) where C.Element == UInt8 {
        var escaped = false
        for b in bytes {
            if escaped {
                if b == 0 {
                    out.append(0xFE)
                    continue
                }
                out.append(0xFF)
                escaped = false
            }
            out.append(b)
            if b == 0 { escaped = true }
        }
        out.append(escaped ? 0xFE : 0x00)
    }

    /// The shortest key that sorts after `previous` and at or before `next`
    /// (`ByteSource.separatorGt`): the common prefix, then `previous`'s next byte plus one
    /// (0x00 when `previous` ends there).
    static func separator(after previous: [UInt8], atOrBefore next: [UInt8]) -> [UInt8] {
        var i = 0
        while i < previous.count, i < next.count, previous[i] == next[i] { i += 1 }
        return Array(previous.prefix(i)) + [i < previous.count ? previous[i] &+ 1 : 0]
    }

    /// A key just above `value` of at least `at + 1` bytes (`RowIndexWriter.nudge`): `value`'s
    /// bytes up to `at`, then from `at` on the first byte below 0xFF plus one (0x00 when
    /// `value` ends first); 0xFF bytes on the way are kept.
    static func nudge(_ value: [UInt8], at: Int) -> [UInt8] {
        var out = Array(value.prefix(at))
        var i = at
        while i < value.count, value[i] == 0xFF {
            out.append(0xFF)
            i += 1
        }
        out.append(i < value.count ? value[i] + 1 : 0)
        return out
    }
}

extension CQLType {
    /// True for a DESC clustering column's type.
    var isReversedType: Bool {
        if case .reversed = self { return true }
        return false
    }
}
