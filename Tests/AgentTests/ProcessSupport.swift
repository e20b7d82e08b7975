import Agent
import Foundation
import Synchronization

/// The `cass2dynamo` binary built beside the test bundle.
func cass2dynamoBinary() -> String? {
    let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    var dir = argv0.deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("cass2dynamo").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return nil
}

/// A child process whose output lines are collected; killed at the end of the test.
final class Child: Sendable {
    let process: Process
    let output = Mutex<String>("")

    init(_ path: String, _ args: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = args
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let handle = pipe.fileHandleForReading
        let box = self
        Thread {
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                box.output.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
        }.start()
    }

    var text: String { output.withLock { $0 } }

    /// Waits until the output matches `prefix` followed by a number, returning the number.
    func waitForNumber(after prefix: String, seconds: Double = 30) throws -> Int {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
                if let n = Int(line.dropFirst(prefix.count)) { return n }
            }
            if !process.isRunning { break }
            usleep(50_000)
        }
        throw TestFailure("no '\(prefix)N' in output: \(text)")
    }

    func kill9() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Runs a program to completion; returns status and output.
@discardableResult
func runProgram(_ path: String, _ args: [String]) throws -> (Int32, String) {
    let r = try Subprocess.run(path, args)
    return (r.status, String(decoding: r.stdout + r.stderr, as: UTF8.self))
}

/// A TCP port free on loopback right now.
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return Int(UInt16(bigEndian: addr.sin_port))
}
