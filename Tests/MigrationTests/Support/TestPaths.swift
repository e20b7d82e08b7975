import Foundation

/// Locations the tests read from, relative to this file.
enum TestPaths {
    /// The package root (`…/main`).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var samples: String { packageRoot.appendingPathComponent("Samples").path }
    /// `../shared/sstables/cassandra`.
    static var cassandra: String { packageRoot.deletingLastPathComponent().appendingPathComponent("shared/sstables/cassandra").path }

    /// True when running under CI (the `CI` environment variable is set), where missing tools are failures.
    static var isCI: Bool {
        let value = ProcessInfo.processInfo.environment["CI"] ?? ""
        return !value.isEmpty && value != "0" && value.lowercased() != "false"
    }

    /// A fresh temporary folder.
    static func temporaryFolder(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mig-\(name)-\(UUID().uuidString.prefix(8))").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
