import Foundation
import Synchronization

/// Paces a run's reading to ``ExtractOptions/maxRowsPerSecond``, over all the tables it reads at
/// once: a row read ahead of the pace waits, looking for a stop every 0.1 s.
final class RowThrottle: Sendable {
    let rowsPerSecond: Double
    private let state = Mutex<(started: Date?, rows: Double)>((nil, 0))

    init(rowsPerSecond: Double) { self.rowsPerSecond = rowsPerSecond }

    /// Counts one row, waiting until the pace allows it; throws ``Stopped`` on a stop.
    func admit(stop: StopSignal) throws {
        let due = state.withLock { s -> Date in
            let started = s.started ?? Date()
            s.started = started
            s.rows += 1
            return started.addingTimeInterval(s.rows / rowsPerSecond)
        }
        while true {
            try stop.check()
            let wait = due.timeIntervalSinceNow
            if wait <= 0 { return }
            Thread.sleep(forTimeInterval: min(wait, 0.1))
        }
    }
}
