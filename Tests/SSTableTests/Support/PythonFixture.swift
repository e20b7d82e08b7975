import Foundation
import TestSupport
import Testing

/// Runs a fixture script of `Tests/SSTableTests/Fixtures/` with python3 (they use cqlite-py, an
/// independent SSTable writer and reader). Returns its standard output, or nil when cqlite-py is
/// not installed outside CI; any other failure is recorded as a test issue.
func runPythonFixture(_ script: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Data? {
    let path = TestPaths.packageRoot.appendingPathComponent("Tests/SSTableTests/Fixtures/\(script)").path
    let result = try runProgramBlocking("python3", [path] + arguments)
    guard result.status == 0 else {
        if TestPaths.isCI || !result.stderr.contains("No module named 'cqlite'") {
            Issue.record("\(script) failed: \(result.stderr)", sourceLocation: sourceLocation)
        }
        return nil
    }
    return result.stdout
}
