import ArgumentParser
import DynamoModel
import Migration

/// Range checks of numeric options, for the commands' and option groups' `validate()`: each throws
/// a `ValidationError` (exit status 64) naming the option as typed, the values it takes and the
/// value given. Numeric options parse `.unconditional`ly, so `--part-size -1` reaches the check
/// instead of reading as an option of its own.
enum OptionCheck {
    /// A whole number in `range`, when given.
    static func whole<T: FixedWidthInteger>(_ value: T?, _ option: String, _ range: ClosedRange<T>) throws {
        guard let value, !range.contains(value) else { return }
        throw ValidationError("\(option) must be a whole number from \(range.lowerBound) to \(range.upperBound) (got \(value))")
    }

    /// A finite number of `unit` above `lower` (from it when `inclusive`) and at most `upper`, when given.
    static func number(_ value: Double?, _ option: String, _ unit: String, above lower: Double, inclusive: Bool = false,
                       atMost upper: Double) throws {
        guard let value else { return }
        let inRange = value.isFinite && (inclusive ? value >= lower : value > lower) && value <= upper
        guard !inRange else { return }
        let range = inclusive ? "from \(text(lower)) to \(text(upper))" : "greater than \(text(lower)) and at most \(text(upper))"
        throw ValidationError("\(option) must be \(unit) \(range) (got \(text(value)))")
    }

    /// A `--table-prefix`: the start of DynamoDB table names (the CQL or mapping name follows).
    static func tablePrefix(_ prefix: String, _ option: String = "--table-prefix") throws {
        let longest = DynamoDBTableName.lengths.upperBound - 1
        guard prefix.utf8.count > longest || !prefix.utf8.allSatisfy(DynamoDBTableName.isAllowed) else { return }
        throw ValidationError("\(option) must be at most \(longest) letters, digits, underscores (_), dots (.) and hyphens (-), as DynamoDB table names are (got '\(prefix)')")
    }

    /// An `s3://BUCKET/PREFIX` location, with a valid bucket name.
    static func s3Location(_ url: String, _ option: String) throws {
        do { _ = try S3Location(url: url) } catch { throw ValidationError("\(option) \(error)") }
    }

    /// `64`, not `64.0`.
    private static func text(_ x: Double) -> String {
        x.isFinite && x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }

    /// Seconds since the epoch, as `--now`: Cassandra keeps expiry times as unsigned 32-bit seconds.
    static let epochSeconds: ClosedRange<Int64> = 0...Int64(UInt32.max)
    /// Work done at once (`--concurrency`, `--jobs`, `--segments`).
    static let parallelism = 1...256
}
