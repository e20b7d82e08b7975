import Foundation
import Migration
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

extension MigrationCLI {
    /// One live status line per phase on standard error, at the bottom, so phases that run
    /// together (extract and upload) each keep theirs: table, rows/total, bytes, ETA from the rate
    /// of that phase. A final event (done, skip, warning, error) is printed above them and stays.
    static func bars() -> ProgressSink {
        let rates = Mutex(PhaseRates())
        let board = Mutex(LiveLines())
        return ProgressSink { event in
            let estimate = rates.withLock { $0.observe(event) }
            let text = board.withLock { $0.update(event.phase, barLine(event, estimate), final: event.kind.isFinal, width: terminalWidth()) }
            _ = text.utf8CString.withUnsafeBufferPointer { Glibc.write(2, $0.baseAddress!, $0.count - 1) }
        }
    }

    /// Columns of the terminal on standard error (80 when unknown).
    static func terminalWidth() -> Int {
        var size = winsize()
        return ioctl(2, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
    }

    /// The text of one status line.
    static func barLine(_ event: ProgressEvent, _ estimate: PhaseRates.Estimate?) -> String {
        var line = "\(event.phase.rawValue) \(event.table ?? "")"
        if let rows = event.rows {
            line += "  \(rows)" + (event.totalRows.map { "/\($0)" } ?? "")
            if let total = event.totalRows, total > 0 {
                let filled = Int(min(1, Double(rows) / Double(total)) * 20)
                line += " [" + String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled) + "]"
                if let eta = estimate?.etaSeconds { line += " ETA \(Int(eta.rounded(.up)))s" }
            }
        }
        if let bytes = event.bytes { line += "  \(bytes / 1024) KiB" }
        if let message = event.message { line += "  " + message }
        return line
    }
}
