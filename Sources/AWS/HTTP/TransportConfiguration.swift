/// Settings of an ``AWSTransport``: retries, budget, rate limiting, timeouts and pool size.
public struct TransportConfiguration: Sendable {
    /// Backoff and attempts per request.
    public var retryPolicy: RetryPolicy
    /// The shared retry budget.
    public var retryQuota: RetryQuota
    /// Enables client-side adaptive rate limiting (the SDKs' adaptive mode).
    public var adaptiveRateLimiting: Bool
    /// Timeout of one attempt, in seconds (connect + send + receive).
    public var attemptTimeout: Double
    /// Connect timeout, in seconds.
    public var connectTimeout: Double
    /// Connections kept per host.
    public var maxConnectionsPerHost: Int

    /// Creates a configuration; the defaults suit bulk loads.
    public init(
        retryPolicy: RetryPolicy = RetryPolicy(), retryQuota: RetryQuota = RetryQuota(),
        adaptiveRateLimiting: Bool = true, attemptTimeout: Double = 60, connectTimeout: Double = 10,
        maxConnectionsPerHost: Int = 64
    ) {
        self.retryPolicy = retryPolicy
        self.retryQuota = retryQuota
        self.adaptiveRateLimiting = adaptiveRateLimiting
        self.attemptTimeout = attemptTimeout
        self.connectTimeout = connectTimeout
        self.maxConnectionsPerHost = maxConnectionsPerHost
    }
}
