import Foundation
import TestSupport
import Testing

/// Runs a fixture script of `Tests/SSTableTests/Fixtures/` with python3 (they use cqlite-py, an
/// independent SSTable writer and reader; tests calling it carry ``CQLitePeer/required``).
/// Returns its standard output; throws when it fails.
func runPythonFixture(_ script: String, _ arguments: [String]) throws -> Data {
    let path = TestPaths.packageRoot.appendingPathComponent("Tests/SSTableTests/Fixtures/\(script)").path
    let result = try runProgramBlocking("python3", [path] + arguments)
    guard result.status == 0 else { throw TestFailure("\(script) failed: \(result.stderr.suffix(2000))") }
    return result.stdout
}
