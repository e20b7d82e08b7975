import FoundationEssentials

/// Where configuration is read from: environment variables and files. Injectable for tests.
public struct AWSEnvironment: Sendable {
    /// Environment variables.
    public var variables: [String: String]
    /// Reads a whole text file, or returns nil if it does not exist or cannot be read.
    public var readFile: @Sendable (String) -> String?

    /// Creates an environment from variables and a file reader (defaults to the real file system).
    public init(variables: [String: String], readFile: @escaping @Sendable (String) -> String? = AWSEnvironment.readFromDisk) {
        self.variables = variables
        self.readFile = readFile
    }

    /// The process's environment and file system.
    public static var process: AWSEnvironment {
        AWSEnvironment(variables: ProcessInfo.processInfo.environment)
    }

    /// Reads a UTF-8 file from disk.
    @Sendable public static func readFromDisk(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The variable `name` if set and non-empty.
    public subscript(name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    /// Expands a leading `~` to `HOME`.
    func expandHome(_ path: String) -> String {
        guard path.hasPrefix("~") else { return path }
        return (self["HOME"] ?? "") + path.dropFirst()
    }
}
