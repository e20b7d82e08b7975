import AWS
import Foundation
import Synchronization

/// Paces a run's reading to ``ExtractOptions/maxRowsPerSecond``, over all the tables it reads at
/// once: the one rate limiter (``AdaptiveRateLimiter`` with the pace as its ceiling, nothing ever
/// throttling it); a row read ahead of the pace waits, looking for a stop every 0.1 s.
final class RowThrottle: Sendable {
    let rowsPerSecond: Double
    private let limiter: Mutex<AdaptiveRateLimiter>

    init(rowsPerSecond: Double) {
        self.rowsPerSecond = rowsPerSecond
        limiter = Mutex(AdaptiveRateLimiter(now: MonotonicClock.now(), ceiling: rowsPerSecond))
    }

    /// Counts one row, waiting until the pace allows it; throws ``Stopped`` on a stop.
    func admit(stop: StopSignal) throws {
        let wait = limiter.withLock { $0.acquire(now: MonotonicClock.now()) }
        let due = MonotonicClock.now() + wait
        while true {
            try stop.check()
            let left = due - MonotonicClock.now()
            if left <= 0 { return }
            Thread.sleep(forTimeInterval: min(left, 0.1))
        }
    }
}
