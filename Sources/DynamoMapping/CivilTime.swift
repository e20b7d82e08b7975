/// Proleptic Gregorian calendar arithmetic for ISO-8601 text (years 0–9999).
enum CivilTime {
    /// 0000-01-01 and 10000-01-01 as days since 1970-01-01.
    static let minDay: Int64 = -719_528
    static let maxDay: Int64 = 2_932_897
    static let minMillis: Int64 = minDay * 86_400_000
    static let maxMillis: Int64 = maxDay * 86_400_000

    /// Year, month, day of a day number (Howard Hinnant's `civil_from_days`).
    static func civil(_ z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func appendDate(epochDay: Int64, to out: inout [UInt8]) {
        let (y, m, d) = civil(epochDay)
        OrderedKeyEncoding.appendDecimal(UInt64(y), digits: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        OrderedKeyEncoding.appendDecimal(UInt64(m), digits: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        OrderedKeyEncoding.appendDecimal(UInt64(d), digits: 2, to: &out)
    }

    /// `YYYY-MM-DDTHH:MM:SS.fffZ`; `millis` must be within years 0–9999.
    static func appendISO(millis: Int64, to out: inout [UInt8]) {
        let day = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        let msOfDay = millis - day * 86_400_000
        appendDate(epochDay: day, to: &out)
        out.append(UInt8(ascii: "T"))
        let s = msOfDay / 1000
        OrderedKeyEncoding.appendDecimal(UInt64(s / 3600), digits: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        OrderedKeyEncoding.appendDecimal(UInt64(s / 60 % 60), digits: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        OrderedKeyEncoding.appendDecimal(UInt64(s % 60), digits: 2, to: &out)
        out.append(UInt8(ascii: "."))
        OrderedKeyEncoding.appendDecimal(UInt64(msOfDay % 1000), digits: 3, to: &out)
        out.append(UInt8(ascii: "Z"))
    }

    /// `HH:MM:SS.fffffffff`.
    static func appendClock(nanos: Int64, to out: inout [UInt8]) {
        let s = nanos / 1_000_000_000
        OrderedKeyEncoding.appendDecimal(UInt64(s / 3600), digits: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        OrderedKeyEncoding.appendDecimal(UInt64(s / 60 % 60), digits: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        OrderedKeyEncoding.appendDecimal(UInt64(s % 60), digits: 2, to: &out)
        out.append(UInt8(ascii: "."))
        OrderedKeyEncoding.appendDecimal(UInt64(nanos % 1_000_000_000), digits: 9, to: &out)
    }
}
