import Foundation
import Testing

/// Runs a fixture script of `Tests/SSTableTests/Fixtures/` with python3 (they use cqlite-py, an
/// independent SSTable writer and reader). Returns its standard output, or nil when cqlite-py is
/// not installed outside CI; any other failure is recorded as a test issue.
func runPythonFixture(_ script: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Data? {
    let path = SharedCorpus.packageRoot.appendingPathComponent("Tests/SSTableTests/Fixtures/\(script)").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", path] + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        if ProcessInfo.processInfo.environment["CI"] != nil || !message.contains("No module named 'cqlite'") {
            Issue.record("\(script) failed: \(message)", sourceLocation: sourceLocation)
        }
        return nil
    }
    return data
}
