import Migration
import Testing

/// Rate and ETA are measured per phase and table, from the phase's own first count.
struct PhaseRatesTests {
    let t0 = ContinuousClock.now

    func at(_ seconds: Double) -> ContinuousClock.Instant { t0 + .milliseconds(Int(seconds * 1000)) }

    @Test func aPhaseThatStartsLateGetsItsOwnRate() {
        var rates = PhaseRates()
        // Extract: 1000 rows in 100 s.
        _ = rates.observe(ProgressEvent(phase: .extract, kind: .start, table: "ks.t", totalRows: 1000), at: at(0))
        _ = rates.observe(ProgressEvent(phase: .extract, kind: .progress, table: "ks.t", rows: 0, totalRows: 1000), at: at(0))
        #expect(rates.observe(ProgressEvent(phase: .extract, kind: .progress, table: "ks.t", rows: 500, totalRows: 1000), at: at(50))
                == PhaseRates.Estimate(rowsPerSecond: 10, etaSeconds: 50))
        // Load starts at 100 s, resuming 400 items an earlier run wrote: 200 more in 10 s is 20 items/s,
        // 400 left is 20 s (from the command's start it would read as 600 / 110 s).
        _ = rates.observe(ProgressEvent(phase: .load, kind: .start, table: "t", totalRows: 1000), at: at(100))
        #expect(rates.observe(ProgressEvent(phase: .load, kind: .progress, table: "t", rows: 400, totalRows: 1000), at: at(100)) == nil)
        #expect(rates.observe(ProgressEvent(phase: .load, kind: .progress, table: "t", rows: 600, totalRows: 1000), at: at(110))
                == PhaseRates.Estimate(rowsPerSecond: 20, etaSeconds: 20))
        // Done: a rate, no time left.
        #expect(rates.observe(ProgressEvent(phase: .load, kind: .done, table: "t", rows: 1000, totalRows: 1000), at: at(130))
                == PhaseRates.Estimate(rowsPerSecond: 20, etaSeconds: nil))
    }

    @Test func uploadCountsTheRunsPartsWhateverTableTheyBelongTo() {
        var rates = PhaseRates()
        _ = rates.observe(ProgressEvent(phase: .upload, kind: .start, totalRows: 4), at: at(0))
        _ = rates.observe(ProgressEvent(phase: .upload, kind: .progress, table: "a", rows: 1, totalRows: 4), at: at(1))
        #expect(rates.observe(ProgressEvent(phase: .upload, kind: .progress, table: "b", rows: 3, totalRows: 4), at: at(2))
                == PhaseRates.Estimate(rowsPerSecond: 2, etaSeconds: 0.5))
    }
}
