/// Client-side rate limiting in the spirit of the AWS SDKs' adaptive retry mode.
///
/// A token bucket whose fill rate follows a CUBIC curve: after a throttling response the rate
/// drops to `β × measured rate`; after successes it grows back along
/// `C × (t − K)³ + W_max`. The bucket is off until the first throttle, so an un-throttled client
/// is never slowed. A pure value: callers pass the current (monotonic) time in seconds.
public struct AdaptiveRateLimiter: Sendable {
    /// Lowest fill rate, in requests per second.
    public static let minimumFillRate = 0.5
    static let minimumCapacity = 1.0
    static let smoothing = 0.8
    static let beta = 0.7
    static let scaleConstant = 0.4

    /// Requests per second the bucket refills with.
    public private(set) var fillRate: Double = 0
    /// Tokens the bucket can hold.
    public private(set) var maxCapacity: Double = 0
    /// Tokens in the bucket.
    public private(set) var currentCapacity: Double = 0
    /// True once a throttle has been seen; before that `acquire` never waits.
    public private(set) var isEnabled = false
    /// The smoothed measured sending rate, in requests per second.
    public private(set) var measuredSendRate: Double = 0

    private var lastRefill: Double?
    private var lastMaxRate: Double = 0
    private var lastThrottleTime: Double
    private var timeWindow: Double = 0
    private var lastRateBucket: Double
    private var requestCount = 0

    /// Creates a limiter; `now` is the current monotonic time in seconds.
    public init(now: Double) {
        lastThrottleTime = now
        lastRateBucket = (now * 2).rounded(.down) / 2
    }

    /// Takes one token. Returns 0 when the request may go now, else the seconds to wait first
    /// (the token is already reserved; do not call again for this request).
    public mutating func acquire(now: Double, amount: Double = 1) -> Double {
        guard isEnabled else { return 0 }
        refill(now: now)
        currentCapacity -= amount
        if currentCapacity >= 0 { return 0 }
        return -currentCapacity / fillRate
    }

    /// Feeds back the outcome of a response: `throttled` for a throttling error.
    public mutating func record(throttled: Bool, now: Double) {
        updateMeasuredRate(now: now)
        let calculated: Double
        if throttled {
            let rateToUse = isEnabled ? min(measuredSendRate, fillRate) : measuredSendRate
            lastMaxRate = rateToUse
            updateTimeWindow()
            lastThrottleTime = now
            calculated = rateToUse * Self.beta
            if !isEnabled {
                isEnabled = true
                lastRefill = now
                currentCapacity = 0
            }
        } else {
            updateTimeWindow()
            let elapsed = now - lastThrottleTime
            calculated = Self.scaleConstant * pow3(elapsed - timeWindow) + lastMaxRate
        }
        let newRate = min(calculated, 2 * measuredSendRate)
        updateBucketRate(newRate, now: now)
    }

    private func pow3(_ x: Double) -> Double { x * x * x }

    private mutating func updateTimeWindow() {
        timeWindow = cubeRoot(lastMaxRate * (1 - Self.beta) / Self.scaleConstant)
    }

    private func cubeRoot(_ x: Double) -> Double {
        guard x > 0 else { return 0 }
        // Newton's method; avoids importing libm for cbrt.
        var y = x > 1 ? x / 3 : 1
        for _ in 0..<60 {
            let next = y - (y * y * y - x) / (3 * y * y)
            if abs(next - y) < 1e-12 { return next }
            y = next
        }
        return y
    }

    private mutating func refill(now: Double) {
        guard let last = lastRefill else {
            lastRefill = now
            return
        }
        let amount = max(0, now - last) * fillRate
        currentCapacity = min(maxCapacity, currentCapacity + amount)
        lastRefill = now
    }

    private mutating func updateBucketRate(_ rate: Double, now: Double) {
        refill(now: now)
        fillRate = max(rate, Self.minimumFillRate)
        maxCapacity = max(rate, Self.minimumCapacity)
        currentCapacity = min(currentCapacity, maxCapacity)
    }

    private mutating func updateMeasuredRate(now: Double) {
        let bucket = (now * 2).rounded(.down) / 2
        requestCount += 1
        if bucket > lastRateBucket {
            let currentRate = Double(requestCount) / (bucket - lastRateBucket)
            measuredSendRate = currentRate * Self.smoothing + measuredSendRate * (1 - Self.smoothing)
            requestCount = 0
            lastRateBucket = bucket
        }
    }
}
