/// Exponential backoff with full jitter, as in the AWS SDKs' standard retry mode.
///
/// The delay before retry `n` (1-based) is `random(0, 1) × min(base × 2^(n−1), maxBackoff)`,
/// with a larger base for throttling errors than for transient ones.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in total, the first one included (1 disables retries).
    public var maxAttempts: Int
    /// Base delay for transient errors (5xx, connection errors), in seconds.
    public var baseDelay: Double
    /// Base delay for throttling errors, in seconds.
    public var throttlingBaseDelay: Double
    /// Upper bound of the un-jittered delay, in seconds.
    public var maxBackoff: Double

    /// Creates a policy.
    public init(maxAttempts: Int = 8, baseDelay: Double = 0.05, throttlingBaseDelay: Double = 0.5, maxBackoff: Double = 20) {
        precondition(maxAttempts >= 1, "maxAttempts must be at least 1")
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.throttlingBaseDelay = throttlingBaseDelay
        self.maxBackoff = maxBackoff
    }

    /// The SDKs' standard mode: 3 attempts, base 1 s, cap 20 s.
    public static let standard = RetryPolicy(maxAttempts: 3, baseDelay: 1, throttlingBaseDelay: 1, maxBackoff: 20)

    /// The upper bound of the delay before retry number `retry` (1 for the first retry).
    public func maximumDelay(retry: Int, throttled: Bool) -> Double {
        let base = throttled ? throttlingBaseDelay : baseDelay
        let exponent = min(max(retry - 1, 0), 62)
        let scaled = base * Double(UInt64(1) << UInt64(exponent))
        return min(scaled, maxBackoff)
    }

    /// The jittered delay before retry number `retry`; `random` is uniform in `[0, 1)`.
    public func delay(retry: Int, throttled: Bool, random: Double) -> Double {
        maximumDelay(retry: retry, throttled: throttled) * min(max(random, 0), 1)
    }
}
