import Agent
import AgentAPI
import ArgumentParser
import Foundation

/// `cass2dynamo agents register|list|unregister`: the agents this controller talks to.
struct AgentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents",
        abstract: "Register, list and unregister extraction agents (kept in ~/.config/cass2dynamo/agents.json).",
        subcommands: [Register.self, List.self, Unregister.self])

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an agent (the token is stored in a 0600 file, never printed).")
        @Argument(help: "A name for the agent.") var name: String
        @Argument(help: "Its address, e.g. https://host:8080.") var url: String
        @Option(help: "CA certificate the agent's certificate chains to (PEM).", completion: .file()) var ca: String?
        @Option(help: "Client certificate (PEM).", completion: .file()) var cert: String?
        @Option(help: "Client private key (PEM).", completion: .file()) var key: String?
        @Option(help: "The agent's bearer token.") var token: String?
        @Option(help: "File holding the agent's bearer token.", completion: .file()) var tokenFile: String?
        @Flag(help: "Do not call /v1/health to check the registration.") var noCheck = false

        func validate() throws {
            guard (token == nil) != (tokenFile == nil) else { throw ValidationError("give --token or --token-file") }
            guard (cert == nil) == (key == nil) else { throw ValidationError("give --cert and --key together") }
        }

        func run() async throws {
            let secret: String
            switch (token, tokenFile) {
            case (let token?, _):
                secret = token
            case (nil, let file?):
                guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read the token file \(file)") }
                secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            case (nil, nil):
                throw ValidationError("give --token or --token-file")
            }
            var config = try ControllerConfig.load()
            if !noCheck {
                // Checked before anything is written: a refused registration leaves the stored
                // agents and tokens (including an earlier registration of this name) as they were.
                let candidate = AgentEndpoint(name: name, url: url, ca: ca, certificate: cert, privateKey: key, tokenFile: "")
                try await reportingErrors {
                    let client = try AgentClient(endpoint: candidate, token: secret)
                    try await shuttingDown([client]) {
                        let h = try await client.health()
                        print("agent \(name) answers: version \(h.version)")
                    }
                }
            }
            try config.register(name: name, url: url, ca: ca, certificate: cert, privateKey: key, token: secret)
            try config.save()
            print("registered \(name) at \(url)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered agents.")
        func run() throws {
            for a in try ControllerConfig.load().agents {
                print("\(a.name)\t\(a.url)\tca=\(a.ca ?? "-")\tcert=\(a.certificate ?? "-")")
            }
        }
    }

    struct Unregister: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget an agent and its token.")
        @Argument var name: String
        func run() throws {
            var config = try ControllerConfig.load()
            do { try config.unregister(name) } catch { printError("\(error)"); throw ExitCode.failure }
            try config.save()
            print("unregistered \(name)")
        }
    }
}

/// Options naming the agent a `tasks` command talks to.
struct AgentOption: ParsableArguments {
    @Option(help: "Registered agent name.") var agent: String

    func client() throws -> AgentClient {
        try AgentClient(endpoint: try ControllerConfig.load().agent(agent))
    }
}

/// Calls `body` with a client for `agent`, shutting it down after.
func withAgent(_ agent: AgentOption, _ body: (AgentClient) async throws -> Void) async throws {
    let client = try agent.client()
    try await reportingErrors {
        try await shuttingDown([client]) { try await body(client) }
    }
}

/// `value` as indented JSON with sorted keys.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
