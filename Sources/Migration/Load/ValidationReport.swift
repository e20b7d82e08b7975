/// The outcome of validating one DynamoDB table: against the table itself (``Validator``), or,
/// for a run that stops after staging, the staged parts against the manifest (``StagedCheck``).
/// Encoded with its outcome as `match`, which decoding ignores.
public struct ValidationReport: Codable, Sendable, Hashable {
    public var table: String
    /// Items staged (the manifest's count).
    public var expectedItems = 0
    /// Items found: in the DynamoDB table, or read back from the staged parts.
    public var targetItems = 0
    /// Keys staged but absent from the table.
    public var missing: [String] = []
    /// Keys in the table that were not staged.
    public var unexpected: [String] = []
    /// Keys whose item differs.
    public var different: [String] = []
    public var missingCount = 0
    public var unexpectedCount = 0
    public var differentCount = 0
    /// Differing buckets too large to compare key by key (past `Validator.detailLimit`): their
    /// differences are counted from item counts alone and their keys are not listed.
    public var roughBuckets = 0
    public var seconds = 0.0

    public var isMatch: Bool {
        missingCount == 0 && unexpectedCount == 0 && differentCount == 0 && roughBuckets == 0 && expectedItems == targetItems
    }

    /// At most this many keys are listed per kind of difference.
    public static let listLimit = 20

    private enum OutcomeKey: String, CodingKey { case match }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(table, forKey: .table)
        try c.encode(expectedItems, forKey: .expectedItems)
        try c.encode(targetItems, forKey: .targetItems)
        try c.encode(missing, forKey: .missing)
        try c.encode(unexpected, forKey: .unexpected)
        try c.encode(different, forKey: .different)
        try c.encode(missingCount, forKey: .missingCount)
        try c.encode(unexpectedCount, forKey: .unexpectedCount)
        try c.encode(differentCount, forKey: .differentCount)
        try c.encode(roughBuckets, forKey: .roughBuckets)
        try c.encode(seconds, forKey: .seconds)
        var outcome = encoder.container(keyedBy: OutcomeKey.self)
        try outcome.encode(isMatch, forKey: .match)
    }

    mutating func noteMissing(_ key: String) {
        missingCount += 1
        if missing.count < Self.listLimit { missing.append(key) }
    }

    mutating func noteUnexpected(_ key: String) {
        unexpectedCount += 1
        if unexpected.count < Self.listLimit { unexpected.append(key) }
    }

    mutating func noteDifferent(_ key: String) {
        differentCount += 1
        if different.count < Self.listLimit { different.append(key) }
    }
}
