import CQL

/// Proleptic Gregorian calendar arithmetic for ISO-8601 text (years 0–9999).
enum CivilTime {
    /// 0000-01-01 and 10000-01-01 as days since 1970-01-01.
    static let minDay: Int64 = -719_528
    static let maxDay: Int64 = 2_932_897
    static let minMillis: Int64 = minDay * 86_400_000
    static let maxMillis: Int64 = maxDay * 86_400_000

    static func appendDate(epochDay: Int64, to out: inout [UInt8]) {
        let (y, m, d) = TemporalFormatting.gregorian(epochDay: epochDay)
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
