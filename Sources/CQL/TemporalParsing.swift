/// The `timestamp`, `date` and `time` strings Cassandra reads (`TimestampSerializer`,
/// `SimpleDateSerializer`, `TimeSerializer`), proleptic Gregorian as `java.time` parses them.
enum TemporalParsing {
    /// A position in ASCII text.
    struct Cursor {
        let bytes: [UInt8]
        var i = 0

        init(_ text: String) { bytes = Array(text.utf8) }

        var atEnd: Bool { i == bytes.count }
        var next: UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func take(_ c: Character) -> Bool {
            guard let n = next, n == c.asciiValue else { return false }
            i += 1
            return true
        }

        /// A run of digits (at most `max`), with how many there were; nil when there are none.
        mutating func number(max: Int = 19) -> (value: Int64, count: Int)? {
            var value: Int64 = 0, count = 0
            while count < max, let d = next, JavaNumberText.isDigit(d) {
                value = value * 10 + Int64(d - UInt8(ascii: "0"))
                count += 1
                i += 1
            }
            return count > 0 ? (value, count) : nil
        }

        /// A year as `java.time` reads a `EXCEEDS_PAD` field of 4 digits in strict mode: exactly four
        /// digits, `+` and more than four, or `-` and at least four (not zero).
        mutating func paddedYear(maxDigits: Int) -> Int64? {
            let sign: Int64 = take("-") ? -1 : (take("+") ? 1 : 0)
            guard let (value, count) = number(max: maxDigits) else { return nil }
            switch sign {
            case 0: return count == 4 ? value : nil
            case 1: return count > 4 ? value : nil
            default: return count >= 4 && value != 0 ? -value : nil
            }
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil).
    static func epochDay(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = TemporalFormatting.floorDiv(y, 400)
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The epoch day of a valid date; `smart` clamps a day 29–31 past the month's end to its last
    /// day, as `ResolverStyle.SMART` does. Nil for an invalid date or a year beyond ±999,999,999.
    static func validDay(year: Int64, month: Int64, day: Int64, smart: Bool) -> Int64? {
        guard year.magnitude <= 999_999_999, (1...12).contains(month), (1...31).contains(day) else { return nil }
        let last = daysInMonth(year: year, month: month)
        guard day <= last || smart else { return nil }
        return epochDay(year: year, month: month, day: min(day, last))
    }

    /// A `date` string (`DateTimeFormatter.ISO_LOCAL_DATE`: `2021-03-04`, `-0044-03-15`,
    /// `+10000-01-01`) as days since the epoch; nil when it is not one.
    static func dateEpochDay(_ text: String) -> Int64? {
        var c = Cursor(text)
        guard let year = c.paddedYear(maxDigits: 10), c.take("-"), let (month, m) = c.number(max: 2), m == 2,
              c.take("-"), let (day, d) = c.number(max: 2), d == 2, c.atEnd else { return nil }
        return validDay(year: year, month: month, day: day, smart: false)
    }

    /// A `timestamp` string as milliseconds since the epoch, in the forms `TimestampSerializer`
    /// tries: `y-M-d['T'| ]H:m[:s][.fraction]` and `yyyy-MM-dd` (ISO dates with a sign as well),
    /// each optionally followed by an offset: `Z`, `+HH`, `+HHmm`, `+HH:mm`, or after a space `Z`,
    /// `+HH`, `+HHmm`, `UTC`, `GMT`. The fraction's digits after the third are dropped. Without an
    /// offset the time is UTC (Cassandra uses the server's zone, UTC by convention).
    static func timestampMillis(_ text: String) -> Int64? {
        var c = Cursor(text)
        let signed = c.next == UInt8(ascii: "+") || c.next == UInt8(ascii: "-")
        let yearStart = c.i
        guard let (year, yearDigits) = c.number(), c.take("-"), let (month, monthDigits) = c.number(),
              c.take("-"), let (day, dayDigits) = c.number() else {
            // A signed year: only the date-only ISO form.
            guard signed else { return nil }
            c.i = yearStart
            guard let year = c.paddedYear(maxDigits: 10), c.take("-"), let (month, m) = c.number(max: 2), m == 2,
                  c.take("-"), let (day, d) = c.number(max: 2), d == 2, let offset = offsetSeconds(&c),
                  let epochDay = validDay(year: year, month: month, day: day, smart: false) else { return nil }
            return millis(epochDay: epochDay, secondOfDay: 0, milli: 0, offset: offset)
        }
        if c.next == UInt8(ascii: "T") || (c.next == UInt8(ascii: " ") && c.i + 1 < c.bytes.count && JavaNumberText.isDigit(c.bytes[c.i + 1])) {
            c.i += 1
            guard year >= 1, let (hour, _) = c.number(), c.take(":"), let (minute, _) = c.number() else { return nil }
            var second: Int64 = 0
            if c.take(":") {
                guard let (s, _) = c.number() else { return nil }
                second = s
            }
            var milli: Int64 = 0
            if c.take("."), let (fraction, count) = c.number(max: 9) {
                milli = fraction
                for _ in count..<max(count, 3) { milli *= 10 }
                for _ in 3..<max(count, 3) { milli /= 10 }
            }
            guard hour < 24, minute < 60, second < 60, let offset = offsetSeconds(&c),
                  let epochDay = validDay(year: year, month: month, day: day, smart: true) else { return nil }
            return millis(epochDay: epochDay, secondOfDay: hour * 3600 + minute * 60 + second, milli: milli, offset: offset)
        }
        // Date only: yyyy-MM-dd (four-digit year, two-digit month and day).
        guard yearDigits == 4, monthDigits == 2, dayDigits == 2, let offset = offsetSeconds(&c) else { return nil }
        guard let epochDay = validDay(year: year, month: month, day: day, smart: offset.explicit) else { return nil }
        return millis(epochDay: epochDay, secondOfDay: 0, milli: 0, offset: offset)
    }

    private static func millis(epochDay: Int64, secondOfDay: Int64, milli: Int64, offset: (seconds: Int64, explicit: Bool)) -> Int64? {
        let (daySeconds, o1) = epochDay.multipliedReportingOverflow(by: 86_400)
        let (seconds, o2) = daySeconds.addingReportingOverflow(secondOfDay - offset.seconds)
        let (ms, o3) = seconds.multipliedReportingOverflow(by: 1000)
        let (total, o4) = ms.addingReportingOverflow(milli)
        return o1 || o2 || o3 || o4 ? nil : total
    }

    /// The offset that ends a timestamp (consuming the rest of the text): zero and not explicit at
    /// the end of the text, nil when what is left is not an offset.
    private static func offsetSeconds(_ c: inout Cursor) -> (seconds: Int64, explicit: Bool)? {
        if c.atEnd { return (0, false) }
        let spaced = c.take(" ")
        if spaced {
            let rest = String(decoding: c.bytes[c.i...], as: UTF8.self)
            if rest == "UTC" || rest == "GMT" { return (0, true) }
        }
        if c.take("Z") { return c.atEnd ? (0, true) : nil }
        let sign: Int64 = c.take("+") ? 1 : (c.take("-") ? -1 : 0)
        guard sign != 0, let (hours, h) = c.number(max: 2), h == 2, hours <= 18 else { return nil }
        var minutes: Int64 = 0
        if let (m, count) = c.number(max: 2) {
            guard count == 2 else { return nil }
            minutes = m
        } else if !spaced && c.take(":") {
            guard let (m, count) = c.number(max: 2), count == 2 else { return nil }
            minutes = m
        }
        guard c.atEnd, minutes < 60, hours * 60 + minutes <= 18 * 60 else { return nil }
        return (sign * (hours * 3600 + minutes * 60), true)
    }

    /// A `time` string as `TimeSerializer.parseTimeStrictly` reads it (`hh:mm:ss[.fffffffff]`,
    /// surrounding characters up to U+0020 ignored, each field an `Integer.parseInt` number) as
    /// nanoseconds since midnight; nil when it is not one.
    static func timeNanos(_ text: String) -> Int64? {
        var bytes = Substring(text).utf8
        while let f = bytes.first, f <= 0x20 { bytes = bytes.dropFirst() }
        while let l = bytes.last, l <= 0x20 { bytes = bytes.dropLast() }
        let s = Array(bytes)
        guard let firstColon = s.firstIndex(of: UInt8(ascii: ":")), firstColon > 0,
              let secondColon = s[(firstColon + 1)...].firstIndex(of: UInt8(ascii: ":")), secondColon < s.count - 1 else { return nil }
        func field(_ range: Range<Int>, below limit: Int64) -> Int64? {
            guard let v = JavaNumberText.int64(String(decoding: s[range], as: UTF8.self)), Int32(exactly: v) != nil,
                  v >= 0, v < limit else { return nil }
            return v
        }
        guard let hour = field(0..<firstColon, below: 24), let minute = field((firstColon + 1)..<secondColon, below: 60) else { return nil }
        var second: Int64
        var nanos: Int64 = 0
        if let period = s[(secondColon + 1)...].firstIndex(of: UInt8(ascii: ".")) {
            guard period < s.count - 1, let sec = field((secondColon + 1)..<period, below: 60) else { return nil }
            second = sec
            let fraction = s[(period + 1)...]
            guard fraction.count <= 9, fraction.allSatisfy(JavaNumberText.isDigit) else { return nil }
            for d in fraction { nanos = nanos * 10 + Int64(d - UInt8(ascii: "0")) }
            for _ in fraction.count..<9 { nanos *= 10 }
        } else {
            guard let sec = field((secondColon + 1)..<s.count, below: 60) else { return nil }
            second = sec
        }
        return ((hour * 60 + minute) * 60 + second) * 1_000_000_000 + nanos
    }
}
