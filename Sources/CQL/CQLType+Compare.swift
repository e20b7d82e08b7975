/// Cassandra's sort order for serialized values (`AbstractType.compare` of each marshal type).
///
/// Empty values sort before all others. Fixed-width integers (`tinyint`…`bigint`, `counter`,
/// `timestamp`, `time`) compare signed; `varint`/`decimal` numerically; `float`/`double` as Java's
/// `Float.compare`/`Double.compare` (−0.0 < 0.0, NaN last); `uuid` as `UUIDType` (version, then
/// timestamp for version 1, else unsigned bytes); `timeuuid` by timestamp, then signed bytes;
/// `boolean` false < true; frozen collections, tuples and UDTs element by element; everything else
/// (text, ascii, blob, inet, date, duration, custom) by unsigned bytes.
extension CQLType {
    /// Negative, zero or positive as `a` sorts before, with or after `b`. Never traps on bad bytes.
    public func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        if case .reversed(let base) = self { return -base.compare(a, b) }
        if case .empty = self { return 0 }
        if a.isEmpty || b.isEmpty { return (a.isEmpty ? 0 : 1) - (b.isEmpty ? 0 : 1) }
        switch self {
        case .tinyint, .smallint, .int, .bigint, .counter, .timestamp, .time:
            return Self.compareSignedBytes(a, b)
        case .varint:
            return NumericCompare.compareIntegers(a, b)
        case .decimal:
            return NumericCompare.compareDecimals(a, b)
        case .float:
            guard a.count == 4, b.count == 4 else { return Self.compareUnsigned(a, b) }
            return NumericCompare.javaCompare(Double(Float(bitPattern: a.beUInt32(at: 0))), Double(Float(bitPattern: b.beUInt32(at: 0))))
        case .double:
            guard a.count == 8, b.count == 8 else { return Self.compareUnsigned(a, b) }
            return NumericCompare.javaCompare(Double(bitPattern: a.beUInt64(at: 0)), Double(bitPattern: b.beUInt64(at: 0)))
        case .boolean:
            return (a[0] == 0 ? 0 : 1) - (b[0] == 0 ? 0 : 1)
        case .uuid:
            return Self.compareUUID(a, b)
        case .timeuuid:
            return Self.compareTimeUUID(a, b)
        case .list(let e, _), .set(let e, _):
            return CollectionCompare.compareLists(a, b, element: e)
        case .map(let k, let v, _):
            return CollectionCompare.compareMaps(a, b, key: k, value: v)
        case .tuple(let types):
            return CollectionCompare.compareTuples(a, b, types: types)
        case .udt(let u, _):
            return CollectionCompare.compareTuples(a, b, types: u.fieldTypes)
        case .composite(let types):
            return CollectionCompare.compareComposites(a, b, types: types)
        default:
            return Self.compareUnsigned(a, b)
        }
    }

    /// Lexicographic unsigned bytes, shorter first on a common prefix (`ByteBufferUtil.compareUnsigned`).
    static func compareUnsigned(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        for i in 0..<n where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// `Int32Type`/`LongType` order: the first byte signed, then the rest unsigned.
    static func compareSignedBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let diff = Int(Int8(bitPattern: a[0])) - Int(Int8(bitPattern: b[0]))
        if diff != 0 { return diff < 0 ? -1 : 1 }
        return compareUnsigned(a, b)
    }

    /// `TimeUUIDType.reorderTimestampBytes`: time_hi, time_mid, time_low so the long orders by time.
    @inline(__always)
    static func reorderTimestamp(_ msb: UInt64) -> Int64 {
        Int64(bitPattern: (msb << 48) | ((msb << 16) & 0xFFFF_0000_0000) | (msb >> 32))
    }

    static func compareUUID(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        guard a.count == 16, b.count == 16 else { return compareUnsigned(a, b) }
        let msbA = a.beUInt64(at: 0), msbB = b.beUInt64(at: 0)
        let versionA = Int((msbA >> 12) & 0xF), versionB = Int((msbB >> 12) & 0xF)
        if versionA != versionB { return versionA < versionB ? -1 : 1 }
        if versionA == 1 {
            let ta = reorderTimestamp(msbA), tb = reorderTimestamp(msbB)
            if ta != tb { return ta < tb ? -1 : 1 }
        } else if msbA != msbB {
            return msbA < msbB ? -1 : 1
        }
        let lsbA = a.beUInt64(at: 8), lsbB = b.beUInt64(at: 8)
        return lsbA == lsbB ? 0 : (lsbA < lsbB ? -1 : 1)
    }

    static func compareTimeUUID(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        guard a.count == 16, b.count == 16 else { return compareUnsigned(a, b) }
        let ta = reorderTimestamp(a.beUInt64(at: 0)), tb = reorderTimestamp(b.beUInt64(at: 0))
        if ta != tb { return ta < tb ? -1 : 1 }
        // The clock-seq/node half compares as signed bytes (TimeUUIDType.signedBytesToNativeLong).
        let flip: UInt64 = 0x0080_8080_8080_8080
        let la = Int64(bitPattern: a.beUInt64(at: 8) ^ flip), lb = Int64(bitPattern: b.beUInt64(at: 8) ^ flip)
        return la == lb ? 0 : (la < lb ? -1 : 1)
    }
}

/// Numeric comparisons for `varint`, `decimal` and floating point.
enum NumericCompare {
    /// Java's `Double.compare`: −0.0 < 0.0 and NaN above everything (NaN == NaN).
    static func javaCompare(_ x: Double, _ y: Double) -> Int {
        if x < y { return -1 }
        if x > y { return 1 }
        let nx = x.isNaN, ny = y.isNaN
        if nx || ny { return nx == ny ? 0 : (nx ? 1 : -1) }
        // Equal values: order by sign so −0.0 < 0.0.
        let sx = x.sign == .minus, sy = y.sign == .minus
        return sx == sy ? 0 : (sx ? -1 : 1)
    }

    /// Big-endian two's-complement integers of any length (redundant sign bytes allowed).
    static func compareIntegers(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let negA = BigIntegerDigits.isNegative(a), negB = BigIntegerDigits.isNegative(b)
        if negA != negB { return negA ? -1 : 1 }
        let fill: UInt8 = negA ? 0xFF : 0
        // Compare as if sign-extended to the same length: same sign, so unsigned order is numeric order.
        let n = max(a.count, b.count)
        for i in 0..<n {
            let x = i < n - a.count ? fill : a[i - (n - a.count)]
            let y = i < n - b.count ? fill : b[i - (n - b.count)]
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }

    /// `decimal` values: int32 scale + varint unscaled, compared as `BigDecimal.compareTo`.
    static func compareDecimals(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        guard a.count > 4, b.count > 4 else { return CQLType.compareUnsigned(a, b) }
        let ua = a.slice(4, a.count - 4), ub = b.slice(4, b.count - 4)
        let signA = BigIntegerDigits.isZero(ua) ? 0 : (BigIntegerDigits.isNegative(ua) ? -1 : 1)
        let signB = BigIntegerDigits.isZero(ub) ? 0 : (BigIntegerDigits.isNegative(ub) ? -1 : 1)
        if signA != signB { return signA < signB ? -1 : 1 }
        if signA == 0 { return 0 }
        var da: [UInt8] = [], db: [UInt8] = []
        BigIntegerDigits.appendMagnitude(ua, to: &da)
        BigIntegerDigits.appendMagnitude(ub, to: &db)
        // Value = 0.d1d2… × 10^(digits − scale): compare exponents, then digits left-aligned.
        let ea = Int64(da.count) - Int64(Int32(bitPattern: a.beUInt32(at: 0)))
        let eb = Int64(db.count) - Int64(Int32(bitPattern: b.beUInt32(at: 0)))
        var magnitude = 0
        if ea != eb {
            magnitude = ea < eb ? -1 : 1
        } else {
            for i in 0..<max(da.count, db.count) {
                let x = i < da.count ? da[i] : UInt8(ascii: "0"), y = i < db.count ? db[i] : UInt8(ascii: "0")
                if x != y { magnitude = x < y ? -1 : 1; break }
            }
        }
        return signA * magnitude
    }
}
