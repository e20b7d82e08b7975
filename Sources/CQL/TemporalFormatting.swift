/// Calendar arithmetic for `timestamp`, `date` and `time`, matching what Cassandra prints.
package enum TemporalFormatting {
    /// Floor division (rounds toward negative infinity).
    @inline(__always)
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Proleptic Gregorian (year, month, day) for days since 1970-01-01 (Hinnant's civil_from_days).
    package static func gregorian(epochDay: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = epochDay + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Julian-calendar (year, month, day) for days since 1970-01-01; year is astronomical (0 = 1 BC).
    static func julian(epochDay: Int64) -> (year: Int64, month: Int, day: Int) {
        let jdn = epochDay + 2_440_588
        let c = jdn + 32082
        let d = floorDiv(4 * c + 3, 1461)
        let e = c - floorDiv(1461 * d, 4)
        let m = floorDiv(5 * e + 2, 153)
        let day = Int(e - floorDiv(153 * m + 2, 5) + 1)
        let month = Int(m + 3 - 12 * floorDiv(m, 10))
        return (d - 4800 + floorDiv(m, 10), month, day)
    }

    /// The first day of the Gregorian calendar in `java.util.GregorianCalendar`: 1582-10-15.
    static let gregorianCutoverEpochDay: Int64 = -141_427

    /// Appends a `timestamp` (ms since the epoch) as `SELECT JSON` prints it, in double quotes
    /// when `quoted`: `yyyy-MM-dd HH:mm:ss.SSS'Z'` through `SimpleDateFormat` in UTC — so Julian
    /// dates before 1582-10-15, and the year of era (1 BC prints as `0001`) for years before 1 AD.
    static func appendTimestamp(_ millis: Int64, quoted: Bool = false, to out: inout [UInt8]) {
        if millis >= 0 && millis < maxFastMillis {
            appendModernTimestamp(UInt64(millis), quoted: quoted, to: &out)
        } else {
            appendTimestampGeneral(millis, quoted: quoted, to: &out)
        }
    }

    /// `appendTimestamp` for any value (calendar switch, year of era, wider years).
    static func appendTimestampGeneral(_ millis: Int64, quoted: Bool, to out: inout [UInt8]) {
        let day = floorDiv(millis, 86_400_000)
        let msOfDay = millis - day * 86_400_000
        let (year, month, dom) = day >= gregorianCutoverEpochDay ? gregorian(epochDay: day) : julian(epochDay: day)
        let yearOfEra = year <= 0 ? 1 - year : year
        out.appendScratch(capacity: 48) { text in
            if quoted { text.byte(UInt8(ascii: "\"")) }
            text.digits(UInt64(yearOfEra), minDigits: 4)
            text.byte(UInt8(ascii: "-"))
            text.digits(UInt64(month), minDigits: 2)
            text.byte(UInt8(ascii: "-"))
            text.digits(UInt64(dom), minDigits: 2)
            text.byte(UInt8(ascii: " "))
            writeClock(UInt64(msOfDay) * 1_000_000, fractionDigits: 3, to: &text)
            text.byte(UInt8(ascii: "Z"))
            if quoted { text.byte(UInt8(ascii: "\"")) }
        }
    }

    /// 10000-01-01T00:00:00Z in ms: timestamps from the epoch up to here have 4-digit Gregorian years.
    static let maxFastMillis: Int64 = 253_402_300_800_000

    /// `appendTimestamp` for 0 ≤ millis < `maxFastMillis`: unsigned calendar arithmetic and
    /// fixed-width digit pairs (every field has a fixed width there).
    @inline(__always)
    static func appendModernTimestamp(_ millis: UInt64, quoted: Bool, to out: inout [UInt8]) {
        out.appendScratch(capacity: 32) { writeModernTimestamp(millis, quoted: quoted, to: &$0) }
    }

    /// Writes what `appendModernTimestamp` appends (at most 26 bytes).
    @inline(__always)
    static func writeModernTimestamp(_ millis: UInt64, quoted: Bool, to text: inout ScratchText) {
        var date = DateMemory()
        writeModernTimestamp(millis, quoted: quoted, date: &date, to: &text)
    }

    /// Writes what `appendModernTimestamp` appends (at most 26 bytes, with room for 32), taking
    /// the date's text from `date` when it holds the same day, and leaving this day's there.
    @inline(__always)
    static func writeModernTimestamp(_ millis: UInt64, quoted: Bool, date: inout DateMemory, to text: inout ScratchText) {
        let day = millis / 86_400_000
        let msOfDay = millis - day * 86_400_000
        if day != date.day { date = DateMemory(day: day) }
        let seconds = msOfDay / 1000
        let ms = msOfDay - seconds * 1000
        let minutes = seconds / 60
        if quoted { text.byte(UInt8(ascii: "\"")) }
        // `yyyy-MM-dd ` in one 16-byte store (11 bytes count).
        UnsafeMutableRawPointer(text.base + text.count).storeBytes(of: date.text, as: SIMD16<UInt8>.self)
        text.count += 11
        text.pair(minutes / 60)
        text.byte(UInt8(ascii: ":"))
        text.pair(minutes % 60)
        text.byte(UInt8(ascii: ":"))
        text.pair(seconds % 60)
        text.byte(UInt8(ascii: "."))
        text.byte(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: ms / 100))
        text.pair(ms % 100)
        text.byte(UInt8(ascii: "Z"))
        if quoted { text.byte(UInt8(ascii: "\"")) }
    }

    /// 10000-01-01 in days since the epoch: dates from the epoch up to here have 4-digit years.
    static let maxFastDays: Int64 = 2_932_897

    /// Writes what `appendDate` appends for 0 ≤ day < `maxFastDays`, in double quotes (12 bytes,
    /// with room for 17), taking the text from `date` when it holds the same day.
    @inline(__always)
    static func writeModernDate(_ day: UInt64, date: inout DateMemory, to text: inout ScratchText) {
        if day != date.day { date = DateMemory(day: day) }
        text.byte(UInt8(ascii: "\""))
        UnsafeMutableRawPointer(text.base + text.count).storeBytes(of: date.text, as: SIMD16<UInt8>.self)
        text.count += 10
        text.byte(UInt8(ascii: "\""))
    }

    /// The text `yyyy-MM-dd ` of one day from the epoch to the end of year 9999, kept from one
    /// timestamp to the next: the rows of a time series mostly share their day.
    package struct DateMemory: Sendable {
        /// Days since the epoch; `.max` before any.
        var day: UInt64 = .max
        var text = SIMD16<UInt8>()

        package init() {}

        init(day: UInt64) {
            self.day = day
            // Once per day, not per value: the general calendar code is fast enough.
            let (year, month, dom) = gregorian(epochDay: Int64(day))
            withUnsafeMutableBytes(of: &text) { raw in
                var t = ScratchText(base: raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
                t.pair(UInt64(year / 100))
                t.pair(UInt64(year % 100))
                t.byte(UInt8(ascii: "-"))
                t.pair(UInt64(month))
                t.byte(UInt8(ascii: "-"))
                t.pair(UInt64(dom))
                t.byte(UInt8(ascii: " "))
            }
        }
    }

    /// Appends a `date` (days since the epoch) as `DateTimeFormatter.ISO_LOCAL_DATE` prints it:
    /// proleptic Gregorian, 4-digit years, `+` before years above 9999 and `-` before years before 0.
    static func appendDate(epochDay: Int64, to out: inout [UInt8]) {
        let (year, month, day) = gregorian(epochDay: epochDay)
        out.appendScratch(capacity: 40) { text in
            if year > 9999 { text.byte(UInt8(ascii: "+")) } else if year < 0 { text.byte(UInt8(ascii: "-")) }
            text.digits(year.magnitude, minDigits: 4)
            text.byte(UInt8(ascii: "-"))
            text.digits(UInt64(month), minDigits: 2)
            text.byte(UInt8(ascii: "-"))
            text.digits(UInt64(day), minDigits: 2)
        }
    }

    /// Appends `HH:MM:SS.` and `fractionDigits` digits of the fraction (3 = ms, 9 = ns) for
    /// nanoseconds since midnight (< 24 h).
    static func appendClock(_ nanos: UInt64, fractionDigits: Int, to out: inout [UInt8]) {
        out.appendScratch(capacity: 32) { writeClock(nanos, fractionDigits: fractionDigits, to: &$0) }
    }

    private static func writeClock(_ nanos: UInt64, fractionDigits: Int, to text: inout ScratchText) {
        let seconds = nanos / 1_000_000_000
        text.digits(seconds / 3600, minDigits: 2)
        text.byte(UInt8(ascii: ":"))
        text.digits(seconds / 60 % 60, minDigits: 2)
        text.byte(UInt8(ascii: ":"))
        text.digits(seconds % 60, minDigits: 2)
        text.byte(UInt8(ascii: "."))
        var fraction = nanos % 1_000_000_000
        for _ in fractionDigits..<9 { fraction /= 10 }
        text.digits(fraction, minDigits: fractionDigits)
    }
}
