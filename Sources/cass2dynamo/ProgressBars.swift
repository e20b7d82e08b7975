import Foundation
import Migration
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

extension MigrationCLI {
    /// One live status line per phase on standard error: table, rows/total, bytes, ETA from the
    /// rate of that phase.
    static func bars() -> ProgressSink {
        let rates = Mutex(PhaseRates())
        return ProgressSink { event in
            let estimate = rates.withLock { $0.observe(event) }
            writeBar(barLine(event, estimate), final: event.kind.isFinal)
        }
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

    private static func writeBar(_ line: String, final: Bool) {
        let text = "\r\u{1b}[2K" + line + (final ? "\n" : "")
        _ = text.utf8CString.withUnsafeBufferPointer { Glibc.write(2, $0.baseAddress!, $0.count - 1) }
    }
}
