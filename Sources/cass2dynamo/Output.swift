import SSTable

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered writes to standard output; large blocks, no per-line system call.
struct StandardOutput: ~Copyable {
    private var buffer = OutputBuffer(capacity: (1 << 20) + 65536)
    private let flushSize = 1 << 20

    /// Gives the buffer to `body` to append to; flushes when it is large.
    mutating func write(_ body: (inout OutputBuffer) throws -> Void) throws {
        try body(&buffer)
        if buffer.count >= flushSize { try flush() }
    }

    mutating func flush() throws {
        let bytes = buffer.bytes
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(1, bytes.baseAddress! + written, bytes.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                throw CLIError("cannot write to standard output: \(String(cString: strerror(errno)))")
            }
            written += n
        }
        buffer.removeAll()
    }
}

/// A one-line error for the user; the tool exits non-zero.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Prints `error: <message>` on one line to standard error.
func printError(_ message: String) { printLine("error: " + message) }

/// Prints `warning: <message>` on one line to standard error.
func printWarning(_ message: String) { printLine("warning: " + message) }

/// Prints an informational line to standard error.
func printNote(_ message: String) { printLine(message) }

private func printLine(_ message: String) {
    let line = "cass2dynamo: " + message.replacingNewlines() + "\n"
    _ = line.utf8CString.withUnsafeBufferPointer { Glibc.write(2, $0.baseAddress!, $0.count - 1) }
}

extension String {
    func replacingNewlines() -> String {
        String(map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
