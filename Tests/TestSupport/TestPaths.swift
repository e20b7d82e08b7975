import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Locations the tests read from: the package, `../shared` beside it, the built binary.
public enum TestPaths {
    /// The package root (`…/main`).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the package.
    public static let shared: URL = packageRoot.deletingLastPathComponent().appendingPathComponent("shared", isDirectory: true)

    /// `../shared/sstables/cassandra`: real SSTables and their expected rows.
    public static var cassandra: String { shared.appendingPathComponent("sstables/cassandra").path }

    /// `../shared/testdata/sigv4`.
    public static var sigv4Vectors: URL { shared.appendingPathComponent("testdata/sigv4", isDirectory: true) }

    /// The package's `Samples` folder.
    public static var samples: String { packageRoot.appendingPathComponent("Samples").path }

    /// True under CI (`CI` set), where missing tools and data are failures, not skips.
    public static var isCI: Bool {
        let value = ProcessInfo.processInfo.environment["CI"] ?? ""
        return !value.isEmpty && value != "0" && value.lowercased() != "false"
    }

    /// A fresh temporary folder (left for inspection; the system cleans /tmp).
    public static func temporaryFolder(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("c2d-\(name)-\(UUID().uuidString.prefix(8))").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The `cass2dynamo` binary built beside the test bundle.
    public static func binary() throws -> String {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("cass2dynamo").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        throw TestFailure("the cass2dynamo binary is not built beside the tests (swift build --build-tests)")
    }
}

/// A temporary folder removed when released.
public final class TempDir: Sendable {
    public let path: String
    public init(_ name: String = "tmp") {
        path = TestPaths.temporaryFolder(name)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Copies the files of `folder` (e.g. a table folder of the shared corpus, which tests never
    /// change in place) into `relative` under this folder, created; returns the copy's path.
    public func copy(filesOf folder: String, to relative: String) throws -> String {
        let target = path + "/" + relative
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            try FileManager.default.copyItem(atPath: folder + "/" + name, toPath: target + "/" + name)
        }
        return target
    }
}

/// A TCP port free on 127.0.0.1 right now (bound, read, released).
public func freePort() throws -> Int {
    let fd = try boundSocket()
    defer { close(fd) }
    return port(of: fd)
}

/// A port on 127.0.0.1 where nothing ever listens while this lives: bound, never listening, so
/// a connection is refused at once and no other test's server can take the port meanwhile
/// (a port from `freePort()` can be taken by a server starting in a parallel test).
public final class ClosedPort: Sendable {
    private let fd: Int32
    public let port: Int

    public init() throws {
        fd = try boundSocket()
        port = TestSupport.port(of: fd)
    }

    deinit { close(fd) }
}

/// A TCP socket bound to an ephemeral port of 127.0.0.1.
private func boundSocket() throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket() failed") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else {
        close(fd)
        throw TestFailure("bind() failed")
    }
    return fd
}

/// The local port a socket is bound to.
private func port(of fd: Int32) -> Int {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// cqlite-py, the independent SSTable reader and writer some tests compare with.
public enum CQLitePeer {
    /// True when python3 can import cqlite.
    public static let installed: Bool = (try? runProgramBlocking("python3", ["-c", "import cqlite"]))?.status == 0

    /// Runs a test when cqlite-py is installed, and always in CI (where its absence fails the test
    /// loudly); elsewhere the test shows as skipped with the reason.
    public static let required = ConditionTrait.enabled(if: installed || TestPaths.isCI, "needs cqlite-py (pip install cqlite-py)")
}
