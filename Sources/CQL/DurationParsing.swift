/// `duration` strings as Cassandra's `Duration.from` reads them, serialized as three signed vints
/// (months, days, nanoseconds). Forms, each with an optional leading `-`:
/// `1y2mo3w4d5h6m7s8ms9us10ns` (units case-insensitive, `µs` too, each at most once and in this
/// order), ISO 8601 `P1Y2M3DT4H5M6S`, `P3W`, and `P0001-02-03T04:05:06`.
enum DurationParsing {
    /// The units in the order they must come, with what one of each adds.
    private enum Unit: Int, Comparable {
        case years, months, weeks, days, hours, minutes, seconds, millis, micros, nanos

        static func < (a: Unit, b: Unit) -> Bool { a.rawValue < b.rawValue }

        var name: String {
            switch self {
            case .years: "years"
            case .months: "months"
            case .weeks: "weeks"
            case .days: "days"
            case .hours: "hours"
            case .minutes: "minutes"
            case .seconds: "seconds"
            case .millis: "milliseconds"
            case .micros: "microseconds"
            case .nanos: "nanoseconds"
            }
        }

        /// The unit of a standard-form symbol (`y`, `mo`, `w`, `d`, `h`, `m`, `s`, `ms`, `us`/`µs`, `ns`).
        init?(symbol: String) {
            switch symbol.lowercased() {
            case "y": self = .years
            case "mo": self = .months
            case "w": self = .weeks
            case "d": self = .days
            case "h": self = .hours
            case "m": self = .minutes
            case "s": self = .seconds
            case "ms": self = .millis
            case "us", "µs": self = .micros
            case "ns": self = .nanos
            default: return nil
            }
        }
    }

    /// Sums the parts as `Duration.Builder` does, refusing repeated, out-of-order or overflowing units.
    private struct Builder {
        var months: Int64 = 0, days: Int64 = 0, nanos: Int64 = 0
        var last: Unit?

        mutating func add(_ count: Int64, _ unit: Unit) throws(CQLValueError) {
            if let last {
                guard last != unit else { throw CQLValueError("the \(unit.name) are given more than once") }
                guard last < unit else { throw CQLValueError("the \(unit.name) must come before the \(last.name)") }
            }
            last = unit
            switch unit {
            case .years: try add(count, 12, to: &months, limit: Int64(Int32.max), "months")
            case .months: try add(count, 1, to: &months, limit: Int64(Int32.max), "months")
            case .weeks: try add(count, 7, to: &days, limit: Int64(Int32.max), "days")
            case .days: try add(count, 1, to: &days, limit: Int64(Int32.max), "days")
            case .hours: try add(count, 3_600_000_000_000, to: &nanos, limit: .max, "nanoseconds")
            case .minutes: try add(count, 60_000_000_000, to: &nanos, limit: .max, "nanoseconds")
            case .seconds: try add(count, 1_000_000_000, to: &nanos, limit: .max, "nanoseconds")
            case .millis: try add(count, 1_000_000, to: &nanos, limit: .max, "nanoseconds")
            case .micros: try add(count, 1_000, to: &nanos, limit: .max, "nanoseconds")
            case .nanos: try add(count, 1, to: &nanos, limit: .max, "nanoseconds")
            }
        }

        private func add(_ count: Int64, _ per: Int64, to total: inout Int64, limit: Int64, _ what: String) throws(CQLValueError) {
            guard count <= (limit - total) / per else { throw CQLValueError("the total number of \(what) must be at most \(limit)") }
            total += count * per
        }
    }

    /// The serialized duration, or an error saying why the text is not one.
    static func serialized(_ text: String) throws(CQLValueError) -> [UInt8] {
        var source = Substring(text)
        let negative = source.hasPrefix("-")
        if negative { source = source.dropFirst() }
        var builder = Builder()
        if source.hasPrefix("P") {
            if source.hasSuffix("W") {
                try parseISOWeeks(source.dropFirst().dropLast(), &builder)
            } else if source.contains("-") {
                try parseISOAlternative(source.dropFirst(), &builder)
            } else {
                try parseISO(source.dropFirst(), &builder)
            }
        } else {
            try parseStandard(source, &builder)
        }
        let sign: Int64 = negative ? -1 : 1
        return VIntEncoding.signed(sign * builder.months) + VIntEncoding.signed(sign * builder.days)
            + VIntEncoding.signed(sign * builder.nanos)
    }

    private static func count(_ digits: Substring) throws(CQLValueError) -> Int64 {
        guard let v = JavaNumberText.int64(String(digits)) else {
            throw CQLValueError("\(digits) is not a number of at most 19 digits")
        }
        return v
    }

    /// Digits and unit symbol pairs, nothing else.
    private static func parseStandard(_ source: Substring, _ builder: inout Builder) throws(CQLValueError) {
        guard !source.isEmpty else { throw CQLValueError("it is empty") }
        var rest = source
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty else { throw CQLValueError("expected a number at \"\(rest)\"") }
            rest = rest.dropFirst(digits.count)
            let symbol = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(symbol.count)
            guard let unit = Unit(symbol: String(symbol)) else {
                throw CQLValueError("\"\(symbol)\" is not a unit (y, mo, w, d, h, m, s, ms, us, ns)")
            }
            try builder.add(try count(digits), unit)
        }
    }

    /// `P[nY][nM][nD][T[nH][nM][nS]]` (after the `P`).
    private static func parseISO(_ source: Substring, _ builder: inout Builder) throws(CQLValueError) {
        var rest = source
        var inTime = false
        var lastDesignator = -1
        let order: [Character] = ["Y", "M", "D", "H", "m", "S"]
        while !rest.isEmpty {
            if rest.first == "T" && !inTime {
                inTime = true
                rest = rest.dropFirst()
                continue
            }
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(digits.count)
            guard !digits.isEmpty, let designator = rest.first else { throw CQLValueError("not an ISO 8601 duration") }
            rest = rest.dropFirst()
            let key: Character = inTime && designator == "M" ? "m" : designator
            guard let index = order.firstIndex(of: key), (index >= 3) == inTime, index > lastDesignator else {
                throw CQLValueError("not an ISO 8601 duration")
            }
            lastDesignator = index
            let unit: [Unit] = [.years, .months, .days, .hours, .minutes, .seconds]
            try builder.add(try count(digits), unit[index])
        }
    }

    /// `PnW` (between the `P` and the `W`).
    private static func parseISOWeeks(_ digits: Substring, _ builder: inout Builder) throws(CQLValueError) {
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw CQLValueError("not an ISO 8601 duration in weeks") }
        try builder.add(try count(digits), .weeks)
    }

    /// `Pyyyy-MM-ddThh:mm:ss` (after the `P`).
    private static func parseISOAlternative(_ source: Substring, _ builder: inout Builder) throws(CQLValueError) {
        let shape = "dddd-dd-ddTdd:dd:dd"
        guard source.count == shape.count, zip(source, shape).allSatisfy({ s, p in p == "d" ? (s.isASCII && s.isNumber) : s == p }) else {
            throw CQLValueError("not an ISO 8601 duration of the form P0001-02-03T04:05:06")
        }
        let fields: [(Int, Int, Unit)] = [(0, 4, .years), (5, 2, .months), (8, 2, .days), (11, 2, .hours), (14, 2, .minutes), (17, 2, .seconds)]
        for (start, length, unit) in fields {
            let from = source.index(source.startIndex, offsetBy: start)
            try builder.add(try count(source[from..<source.index(from, offsetBy: length)]), unit)
        }
    }
}

/// Cassandra's variable-length integers (`VIntCoding`).
enum VIntEncoding {
    /// The unsigned vint: the count of extra bytes as leading one bits of the first byte, then the
    /// value big-endian (nine bytes, the first 0xFF, for values of more than 56 bits).
    static func unsigned(_ v: UInt64) -> [UInt8] {
        let extra = v < 0x80 ? 0 : min(8, (64 - v.leadingZeroBitCount - 1) / 7)
        if extra == 8 { return [0xFF] + (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * (7 - $0))) } }
        var bytes = (0...extra).map { UInt8(truncatingIfNeeded: v >> (8 * (extra - $0))) }
        bytes[0] |= UInt8(truncatingIfNeeded: 0xFF00 >> extra)
        return bytes
    }

    /// The signed vint: zig-zag, then `unsigned`.
    static func signed(_ v: Int64) -> [UInt8] { unsigned(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }
}
