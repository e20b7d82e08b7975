import Migration
import Synchronization
import Testing

/// The write budget on a clock the test moves: waits follow from the ceiling, cuts and growth
/// from the adaptive limiter's documented rules (β = 0.7, never above the ceiling).
@Suite struct WriteBudgetTests {
    final class TestClock: Sendable {
        let seconds = Mutex(0.0)
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
        var now: @Sendable () -> Double { { self.seconds.withLock { $0 } } }
    }

    @Test func spendsAtMostTheCeilingPerSecond() {
        let clock = TestClock()
        let budget = WriteBudget(maxWCU: 10, clock: clock.now)
        #expect(budget.reserve(1) == 0)            // one unit is banked at the start
        #expect(budget.reserve(10) == 1.0)         // ten more take a second at 10 WCU/s
        clock.advance(1)
        #expect(budget.reserve(5) == 0.5)
        clock.advance(0.5)
        #expect(budget.reserve(2.5) == 0.25)
    }

    @Test func aThrottleCutsTheRateAndSuccessesBringItBackToTheCeiling() {
        let clock = TestClock()
        let budget = WriteBudget(maxWCU: 10, clock: clock.now)
        clock.advance(0.1)
        budget.record(units: 10, throttled: true)
        #expect(budget.rate == 7)                  // 0.7 × the ceiling
        var highest = 0.0
        for _ in 0..<600 {
            clock.advance(0.1)
            clock.advance(budget.reserve(1))
            budget.record(units: 1, throttled: false)
            highest = max(highest, budget.rate)
        }
        #expect(budget.rate == 10)
        #expect(highest <= 10)
    }

    @Test func unlimitedNeverWaits() {
        let budget = WriteBudget(maxWCU: nil, clock: { 0 })
        #expect(budget.reserve(1_000_000) == 0)
        budget.record(units: 1, throttled: true)
        #expect(budget.reserve(1_000_000) == 0)
        #expect(budget.rate == .infinity)
    }
}
