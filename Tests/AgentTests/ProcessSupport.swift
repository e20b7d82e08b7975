import Foundation
import TestSupport

extension ChildProcess {
    /// Waits until the output has a line of `prefix` followed by a number, returning the number.
    func waitForNumber(after prefix: String, seconds: Double = 30) async throws -> Int {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            for line in output.split(separator: "\n") where line.hasPrefix(prefix) {
                if let n = Int(line.dropFirst(prefix.count)) { return n }
            }
            if !isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("no '\(prefix)N' in output: \(output)")
    }
}
