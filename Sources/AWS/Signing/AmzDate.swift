/// A UTC instant with whole-second precision, formatted the way SigV4 needs it
/// (`yyyyMMdd'T'HHmmss'Z'` for `X-Amz-Date`, `yyyyMMdd` for the credential scope).
public struct AmzDate: Sendable, Hashable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let epochSeconds: Int64

    /// Creates a date from seconds since the Unix epoch.
    public init(epochSeconds: Int64) {
        self.epochSeconds = epochSeconds
    }

    /// The current time from the system's real-time clock.
    public static func now() -> AmzDate {
        AmzDate(epochSeconds: Int64(WallClock.now()))
    }

    /// Parses `yyyyMMdd'T'HHmmss'Z'`; returns nil for anything else.
    public init?(amzString: String) {
        let bytes = Array(amzString.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        self.epochSeconds = days * 86_400 + hour * 3600 + minute * 60 + second
    }

    /// `yyyyMMdd'T'HHmmss'Z'`.
    public var amzString: String {
        let (year, month, day) = Self.civilFromDays(Self.floorDiv(epochSeconds, 86_400))
        let secondOfDay = epochSeconds - Self.floorDiv(epochSeconds, 86_400) * 86_400
        return Self.pad(year, 4) + Self.pad(month, 2) + Self.pad(day, 2) + "T"
            + Self.pad(secondOfDay / 3600, 2) + Self.pad(secondOfDay / 60 % 60, 2) + Self.pad(secondOfDay % 60, 2) + "Z"
    }

    /// `yyyyMMdd`, the date part of the credential scope.
    public var dateStamp: String {
        String(amzString.prefix(8))
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    // Howard Hinnant's civil calendar algorithms (proleptic Gregorian).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
