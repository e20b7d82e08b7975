import AWS
import Synchronization

/// A write-capacity budget for BatchWriteItem: the adaptive rate limiter with a ceiling of
/// `maxWCU` write units per second (at most one second's worth banked). Throttling or unprocessed
/// items cut the rate, successes grow it back towards the ceiling (``AdaptiveRateLimiter``).
public final class WriteBudget: Sendable {
    private struct State {
        var limiter: AdaptiveRateLimiter?
        var consumed: Double = 0
    }
    /// The ceiling in WCU per second; nil for unlimited.
    public let maxRate: Double?
    private let clock: @Sendable () -> Double
    private let started: Double
    private let state: Mutex<State>

    /// `maxWCU` nil means unlimited; `clock` gives monotonic seconds (the system's when nil).
    public init(maxWCU: Double?, clock: (@Sendable () -> Double)? = nil) {
        maxRate = maxWCU.map { max(1, $0) }
        let clock = clock ?? { MonotonicClock.now() }
        self.clock = clock
        let now = clock()
        started = now
        state = Mutex(State(limiter: maxRate.map { AdaptiveRateLimiter(now: now, ceiling: $0) }))
    }

    /// The rate allowed now, in WCU per second (infinite when unlimited).
    public var rate: Double { state.withLock { $0.limiter?.fillRate ?? .infinity } }

    /// Average WCU per second spent since the budget was made.
    public var averageRate: Double {
        let now = clock()
        return state.withLock { $0.consumed / max(now - started, 1e-3) }
    }

    /// Spends `units` write units now; returns the seconds to wait before writing them.
    public func reserve(_ units: Double) -> Double {
        let now = clock()
        return state.withLock { s in
            s.consumed += units
            return s.limiter?.acquire(now: now, amount: units) ?? 0
        }
    }

    /// Waits until `units` write units may be spent, and spends them.
    public func acquire(_ units: Double) async throws {
        let wait = reserve(units)
        if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
    }

    /// Reports how a write of `units` went: `throttled` when DynamoDB throttled it or left items unprocessed.
    public func record(units: Double, throttled: Bool) {
        let now = clock()
        state.withLock { $0.limiter?.record(throttled: throttled, now: now, amount: units) }
    }
}
