import Foundation

/// Locations the tests read from, relative to this file.
enum TestPaths {
    /// The package root (`…/main`).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/testdata/sigv4` next to the package.
    static let sigv4Vectors: URL = packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/testdata/sigv4", isDirectory: true)

    /// True when running under CI (the `CI` environment variable is set), where missing tools are failures.
    static var isCI: Bool {
        let value = ProcessInfo.processInfo.environment["CI"] ?? ""
        return !value.isEmpty && value != "0" && value.lowercased() != "false"
    }
}
