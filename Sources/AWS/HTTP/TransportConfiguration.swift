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
    /// Whether the HTTP client keeps retrying a failed connection for up to `connectTimeout` within
    /// one attempt (besides the retries of `retryPolicy`); off for quick probes of an endpoint.
    public var retryConnectionEstablishment = true

    /// One quick probe of an endpoint: 3 attempts of at most 10 s, a refused connection failing at once.
    public static let probe: TransportConfiguration = {
        var probe = TransportConfiguration(retryPolicy: RetryPolicy(maxAttempts: 3), attemptTimeout: 10, connectTimeout: 5)
        probe.retryConnectionEstablishment = false
        return probe
    }()

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
