/// Client-side rate limiting in the spirit of the AWS SDKs' adaptive retry mode.
///
/// A token bucket whose fill rate follows a CUBIC curve: after a throttling response the rate
/// drops to `β × measured rate`; after successes it grows back along
/// `C × (t − K)³ + W_max`. The bucket is off until the first throttle, so an un-throttled client
/// is never slowed. With a `ceiling` (a write budget) the bucket is on from the start, filled at
/// the ceiling until the first throttle, and the rate never exceeds it. A pure value: callers pass
/// the current (monotonic) time in seconds.
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
    /// The highest fill rate; nil for none.
    public let ceiling: Double?

    private var lastRefill: Double?
    private var lastMaxRate: Double = 0
    private var lastThrottleTime: Double
    private var timeWindow: Double = 0
    private var lastRateBucket: Double
    private var requestCount = 0.0

    /// Creates a limiter; `now` is the current monotonic time in seconds. With a `ceiling`, one
    /// request's worth is banked at the start and the rate is taken to be the ceiling until measured.
    public init(now: Double, ceiling: Double? = nil) {
        lastThrottleTime = now
        lastRateBucket = (now * 2).rounded(.down) / 2
        self.ceiling = ceiling
        if let ceiling {
            fillRate = ceiling
            maxCapacity = max(ceiling, Self.minimumCapacity)
            currentCapacity = Self.minimumCapacity
            measuredSendRate = ceiling
            lastRefill = now
        }
    }

    /// Takes `amount` tokens. Returns 0 when the request may go now, else the seconds to wait first
    /// (the tokens are already reserved; do not call again for this request).
    public mutating func acquire(now: Double, amount: Double = 1) -> Double {
        guard isEnabled || ceiling != nil else { return 0 }
        refill(now: now)
        currentCapacity -= amount
        if currentCapacity >= 0 { return 0 }
        return -currentCapacity / fillRate
    }

    /// Feeds back the outcome of a request of `amount` tokens: `throttled` for a throttling error.
    /// Until the first throttle only the sending rate is measured.
    public mutating func record(throttled: Bool, now: Double, amount: Double = 1) {
        updateMeasuredRate(now: now, amount: amount)
        guard throttled || isEnabled else { return }
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
        let newRate = min(calculated, 2 * measuredSendRate, ceiling ?? .infinity)
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

    private mutating func updateMeasuredRate(now: Double, amount: Double) {
        let bucket = (now * 2).rounded(.down) / 2
        requestCount += amount
        if bucket > lastRateBucket {
            let currentRate = requestCount / (bucket - lastRateBucket)
            measuredSendRate = currentRate * Self.smoothing + measuredSendRate * (1 - Self.smoothing)
            requestCount = 0
            lastRateBucket = bucket
        }
    }
}
