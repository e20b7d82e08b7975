import Agent
import ArgumentParser
import Dispatch
import Foundation
import Logging
import Migration

/// `cass2dynamo agent init|serve`: the extraction agent on this host.
struct AgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run the extraction agent: an HTTPS service that runs migration tasks (see docs/agent.md).",
        subcommands: [AgentInitCommand.self, AgentServeCommand.self])
}

struct AgentInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented agent-settings.yaml and a token, and optionally a CA with server and client certificates.")

    @Option(help: "Folder to write into.", completion: .directory)
    var dir: String = "."

    @Flag(help: "Generate tls/ca.pem, tls/server.pem, tls/client.pem and their keys (self-signed CA, P-256).")
    var generateCerts = false

    @Option(name: .customLong("hostname"), help: "Names and addresses the server certificate is valid for (repeatable).")
    var hostnames: [String] = []

    @Option(parsing: .unconditional, help: "Port to listen on.")
    var port: Int = 8080

    @Option(name: .customLong("data-dir"), help: "A local folder tasks may read (repeatable).", completion: .directory)
    var dataDirectories: [String] = []

    @Flag(help: "Replace existing files.")
    var force = false

    func validate() throws {
        try OptionCheck.whole(port, "--port", 1...65535)
    }

    func run() throws {
        var names = hostnames
        if names.isEmpty { names = ["localhost", "127.0.0.1", "::1", ProcessInfo.processInfo.hostName] }
        do {
            let dirs = dataDirectories.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            let result = try AgentInit.run(directory: dir, generateCerts: generateCerts, hostnames: names, port: port,
                                           dataDirectories: dirs, force: force)
            for path in result.written { print("wrote \(path)") }
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
    }
}

struct AgentServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the agent's REST API and dashboard over HTTPS (mutual TLS when the settings name a client CA).")

    @Option(help: "The settings file.", completion: .file(extensions: ["yaml", "yml"]))
    var config: String

    @Option(parsing: .unconditional, help: "Port (overrides the settings; 0 picks a free one).")
    var port: Int?

    @Option(help: "Address to listen on (overrides the settings).")
    var host: String?

    @Flag(help: "Serve plain HTTP (loopback addresses only).")
    var insecureHTTP = false

    @Option(help: "Log level (overrides the settings).")
    var logLevel: Logger.Level?

    func validate() throws {
        try OptionCheck.whole(port, "--port", 0...65535)
    }

    func run() async throws {
        let loaded: LoadedSettings
        do { loaded = try LoadedSettings.load(path: config) } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        guard let level = logLevel ?? Logger.Level(rawValue: loaded.settings.logLevel) else {
            let allowed = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("\(config): log_level must be one of \(allowed) (got '\(loaded.settings.logLevel)')")
        }
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let logger = Logger(label: "cass2dynamo.agent")
        let host = host ?? (insecureHTTP ? "127.0.0.1" : nil)
        try await reportingErrors {
            let service = try AgentService(settings: loaded, logger: logger)
            try await service.serve(host: host, port: port, transport: insecureHTTP ? .insecureHTTP : .tls) { bound in
                // One line on stdout so scripts can wait for it and learn the port.
                print("listening on \(bound)")
                fflush(nil)
            }
        }
    }
}
