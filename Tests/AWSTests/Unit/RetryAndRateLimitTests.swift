import AWS
import Testing

@Suite struct RetryAndRateLimitTests {
    @Test func backoffIsExponentialCappedAndJittered() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: 0.1, throttlingBaseDelay: 1, maxBackoff: 5)
        #expect(policy.maximumDelay(retry: 1, throttled: false) == 0.1)
        #expect(policy.maximumDelay(retry: 2, throttled: false) == 0.2)
        #expect(policy.maximumDelay(retry: 4, throttled: false) == 0.8)
        #expect(policy.maximumDelay(retry: 3, throttled: true) == 4)
        #expect(policy.maximumDelay(retry: 4, throttled: true) == 5)
        #expect(policy.maximumDelay(retry: 500, throttled: true) == 5)
        #expect(policy.delay(retry: 3, throttled: true, random: 0) == 0)
        #expect(policy.delay(retry: 3, throttled: true, random: 0.5) == 2)
        for i in 0...100 {
            let delay = policy.delay(retry: 6, throttled: false, random: Double(i) / 101)
            #expect(delay >= 0 && delay < 3.2)
        }
        #expect(RetryPolicy.standard.maxAttempts == 3)
    }

    @Test func retryQuotaChargesAndRefunds() {
        var quota = RetryQuota(capacity: 20, retryCost: 5, timeoutRetryCost: 10)
        #expect(quota.acquireRetry(afterTimeout: false) == 5)
        #expect(quota.acquireRetry(afterTimeout: true) == 10)
        #expect(quota.available == 5)
        #expect(quota.acquireRetry(afterTimeout: true) == nil)
        #expect(quota.acquireRetry(afterTimeout: false) == 5)
        #expect(quota.acquireRetry(afterTimeout: false) == nil)
        quota.recordSuccess(retryTokens: 15)
        #expect(quota.available == 15)
        quota.recordSuccess(retryTokens: 0)
        #expect(quota.available == 16)
        for _ in 0..<10 { quota.recordSuccess(retryTokens: 0) }
        #expect(quota.available == 20)
    }

    @Test func classification() {
        #expect(RetryClassification.classify(code: "ThrottlingException", status: 400) == .throttling)
        #expect(RetryClassification.classify(code: "ProvisionedThroughputExceededException", status: 400) == .throttling)
        #expect(RetryClassification.classify(code: "SlowDown", status: 503) == .throttling)
        #expect(RetryClassification.classify(code: nil, status: 429) == .throttling)
        #expect(RetryClassification.classify(code: "InternalServerError", status: 500) == .transient)
        #expect(RetryClassification.classify(code: nil, status: 503) == .transient)
        #expect(RetryClassification.classify(code: "ValidationException", status: 400) == .final)
        #expect(RetryClassification.classify(code: "ResourceNotFoundException", status: 400) == .final)
        #expect(RetryClassification.classify(code: "UnrecognizedClientException", status: 400) == .final)
    }

    @Test func adaptiveLimiterIsOffUntilThrottledThenSlowsAndRecovers() {
        var limiter = AdaptiveRateLimiter(now: 0)
        var now = 0.0
        // 50 requests per second without throttling: never delayed, and the rate is measured.
        for _ in 0..<200 {
            #expect(limiter.acquire(now: now) == 0)
            limiter.record(throttled: false, now: now)
            now += 0.02
        }
        #expect(!limiter.isEnabled)
        #expect(limiter.measuredSendRate > 40 && limiter.measuredSendRate < 60)

        // A throttle enables the bucket at β × the measured rate.
        limiter.record(throttled: true, now: now)
        #expect(limiter.isEnabled)
        let throttledRate = limiter.fillRate
        #expect(throttledRate < limiter.measuredSendRate && throttledRate > 0.6 * limiter.measuredSendRate)

        // Requests beyond the bucket must wait.
        var waited = 0.0
        for _ in 0..<20 { waited += limiter.acquire(now: now) }
        #expect(waited > 0)

        // More throttles push the rate further down, never below the floor.
        for _ in 0..<30 {
            now += 0.5
            limiter.record(throttled: true, now: now)
        }
        #expect(limiter.fillRate < throttledRate)
        #expect(limiter.fillRate >= AdaptiveRateLimiter.minimumFillRate)
        let low = limiter.fillRate

        // Successes grow the rate back along the cubic curve.
        for _ in 0..<40 {
            now += 0.25
            _ = limiter.acquire(now: now)
            limiter.record(throttled: false, now: now)
        }
        #expect(limiter.fillRate > low)
    }
}
