/// How an attempt's failure is treated by the retry loop.
public enum RetryClassification: Sendable, Hashable {
    /// A throttling error: retry with the throttling backoff and slow the adaptive limiter.
    case throttling
    /// A transient service error (5xx, timeouts reported by the service): retry.
    case transient
    /// A connection error or client-side timeout: retry at the higher quota cost.
    case connection
    /// Not retryable.
    case final

    /// Error codes the SDKs treat as throttling (botocore `retries/standard.py`).
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown",
        "PriorRequestNotComplete", "EC2ThrottledException",
    ]

    /// Error codes the SDKs treat as transient.
    public static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalServerError", "InternalFailure",
        "ServiceUnavailable", "ServiceUnavailableException",
    ]

    /// Classifies a service error by code and HTTP status.
    public static func classify(code: String?, status: Int) -> RetryClassification {
        if let code {
            if throttlingCodes.contains(code) { return .throttling }
            if transientCodes.contains(code) { return .transient }
        }
        if status == 429 { return .throttling }
        if [500, 502, 503, 504].contains(status) { return .transient }
        return .final
    }
}
