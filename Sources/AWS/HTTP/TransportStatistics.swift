/// Counters of what a transport did, for progress output and for checking the retry budget.
public struct TransportStatistics: Sendable, Hashable {
    /// Logical requests started.
    public var requests = 0
    /// HTTP attempts made (first tries plus retries).
    public var attempts = 0
    /// Retries made.
    public var retries = 0
    /// Attempts answered with a throttling error.
    public var throttles = 0
    /// Attempts that failed with a 5xx or transient service error.
    public var transientErrors = 0
    /// Attempts that failed without a response (connection reset, timeout).
    public var connectionErrors = 0
    /// Retries refused because the retry quota was exhausted.
    public var quotaRefusals = 0
    /// Seconds spent in backoff sleeps.
    public var backoffSeconds = 0.0
    /// Seconds spent waiting for the adaptive rate limiter.
    public var rateLimitWaitSeconds = 0.0

    /// Creates zeroed counters.
    public init() {}
}
