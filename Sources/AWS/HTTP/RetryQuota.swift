/// The retry budget of the SDKs' standard mode: a token bucket shared by all requests of a client.
///
/// A retry takes ``retryCost`` tokens (``timeoutRetryCost`` after a timeout or connection error);
/// when the bucket cannot pay, the error is returned instead of retried. A successful request
/// refunds what its retries took, or adds ``successIncrement`` when it needed no retry.
public struct RetryQuota: Sendable, Hashable {
    /// The bucket's size and initial content.
    public let capacity: Int
    /// Tokens a retry after a service error costs.
    public var retryCost: Int
    /// Tokens a retry after a timeout or connection error costs.
    public var timeoutRetryCost: Int
    /// Tokens a first-try success adds back.
    public var successIncrement: Int
    /// Tokens left.
    public private(set) var available: Int

    /// Creates a full bucket (defaults: 500 tokens, 5 per retry, 10 per timeout retry).
    public init(capacity: Int = 500, retryCost: Int = 5, timeoutRetryCost: Int = 10, successIncrement: Int = 1) {
        self.capacity = capacity
        self.retryCost = retryCost
        self.timeoutRetryCost = timeoutRetryCost
        self.successIncrement = successIncrement
        self.available = capacity
    }

    /// Takes the cost of one retry; returns the tokens taken, or nil when the budget is exhausted.
    public mutating func acquireRetry(afterTimeout: Bool) -> Int? {
        let cost = afterTimeout ? timeoutRetryCost : retryCost
        guard available >= cost else { return nil }
        available -= cost
        return cost
    }

    /// Records a successful request that took `retryTokens` tokens for its retries.
    public mutating func recordSuccess(retryTokens: Int) {
        available = min(capacity, available + (retryTokens > 0 ? retryTokens : successIncrement))
    }
}
