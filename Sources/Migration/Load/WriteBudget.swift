import Foundation
import Synchronization

/// A write-capacity budget: a token bucket refilled at `rate` WCU per second (at most one
/// second's worth banked), cut by 30 % when DynamoDB throttles or leaves items unprocessed and
/// raised back by 5 % of the maximum per second without throttling.
public final class WriteBudget: Sendable {
    struct State {
        var rate: Double
        var tokens: Double
        var last: Double
        var lastThrottle: Double = 0
        var consumed: Double = 0
        var started: Double
    }
    public let maxRate: Double?
    private let state: Mutex<State>

    /// `maxWCU` nil means unlimited.
    public init(maxWCU: Double?) {
        maxRate = maxWCU.map { max(1, $0) }
        let now = Self.now()
        state = Mutex(State(rate: maxWCU ?? .infinity, tokens: min(maxWCU ?? 0, 1), last: now, started: now))
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Current allowed rate (WCU/s).
    public var rate: Double { state.withLock { $0.rate } }

    /// Average WCU/s consumed since the budget was made.
    public var averageRate: Double {
        state.withLock { s in s.consumed / max(Self.now() - s.started, 1e-3) }
    }

    /// Waits until `units` write units may be spent, then spends them.
    public func acquire(_ units: Double) async throws {
        guard let maxRate else {
            state.withLock { $0.consumed += units }
            return
        }
        while true {
            let wait: Double = state.withLock { s in
                let now = Self.now()
                let elapsed = now - s.last
                s.last = now
                if now - s.lastThrottle > 1 { s.rate = min(maxRate, s.rate + maxRate * 0.05 * elapsed) }
                s.tokens = min(max(s.rate, units), s.tokens + elapsed * s.rate)
                if s.tokens >= units {
                    s.tokens -= units
                    s.consumed += units
                    return 0
                }
                return (units - s.tokens) / s.rate
            }
            if wait <= 0 { return }
            try await Task.sleep(for: .milliseconds(Int64(max(1, wait * 1000))))
        }
    }

    /// Reports throttling (or unprocessed items): the rate drops.
    public func throttled() {
        state.withLock { s in
            s.lastThrottle = Self.now()
            if let maxRate { s.rate = max(1, min(s.rate, maxRate) * 0.7) }
        }
    }
}
