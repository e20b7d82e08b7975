import AWS
import AgentAPI
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// The agent: settings, task manager, nodes, and the HTTPS service over them.
public final class AgentService: Sendable {
    public let loaded: LoadedSettings
    public let tasks: TaskManager
    public let nodes: NodeStore
    public let logger: Logger
    let token: String
    let knownHosts: String

    /// `aws` is where dynamodb tasks find their credentials (and the region and endpoint that the
    /// settings' `aws:` section does not give): the agent's own environment and profile files by default.
    public init(settings loaded: LoadedSettings, logger: Logger, aws: AWSEnvironment = .process) throws {
        self.loaded = loaded
        self.logger = logger
        token = try loaded.token()
        let fm = FileManager.default
        try fm.createDirectory(atPath: loaded.stateDirectory, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: loaded.stagingDirectory, withIntermediateDirectories: true)
        knownHosts = loaded.stateDirectory + "/known_hosts"
        nodes = try NodeStore(stateDirectory: loaded.stateDirectory, policy: NodePolicy(loaded))
        let store = try TaskStore(directory: loaded.stateDirectory + "/tasks")
        tasks = TaskManager(store: store, stagingRoot: loaded.stagingDirectory, logger: logger) { _ in throw AgentError("no job factory") }
        let factory = JobFactoryBuilder(loaded: loaded, nodes: nodes, knownHosts: knownHosts, environment: aws)
        tasks.setJobFactory { record in try factory.job(for: record) }
    }

    /// How to listen: TLS from the settings, or plain HTTP (loopback only).
    public enum Transport: Sendable { case tls, insecureHTTP }

    /// Builds the application on `host:port`; `onRunning` gets the bound port.
    public func application(host: String? = nil, port: Int? = nil, transport: Transport = .tls,
                            onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some ApplicationProtocol {
        let host = host ?? loaded.settings.host
        let port = port ?? loaded.settings.port
        let server: HTTPServerBuilder
        switch transport {
        case .insecureHTTP:
            guard Self.isLoopback(host) else { throw AgentError("--insecure-http serves plain HTTP on a loopback address only (127.0.0.1, ::1, localhost), not \(host)") }
            server = .http1()
        case .tls:
            let t = loaded.settings.tls
            guard let cert = t.certificate, let key = t.privateKey else { throw AgentError("tls.certificate and tls.private_key are required (or --insecure-http on loopback)") }
            let config = try AgentTLS.server(certificate: loaded.resolve(cert), privateKey: loaded.resolve(key), clientCA: t.clientCA.map(loaded.resolve))
            server = try .tls(.http1(), tlsConfiguration: config)
        }
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: BearerAuthMiddleware(token: Array(token.utf8), logger: logger))
        router.add(middleware: APIErrorMiddleware())
        // The API's operations, generated from docs/agent-openapi.yaml, then the dashboard.
        let registered = RecordingTransport(router: router)
        try AgentAPIHandler(service: self).registerHandlers(on: registered, middlewares: [AcceptIgnoringMiddleware()])
        var routes = registered.table
        DashboardRoutes.register(on: router, table: &routes)
        // Added after the routes, it answers only what none of them matched.
        router.add(middleware: RouteTable.Unmatched(table: routes))
        let logger = self.logger
        let mode = transport == .tls ? (loaded.settings.tls.clientCA != nil ? "https+mtls" : "https") : "http"
        return Application(
            router: router, server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                logger.notice("agent listening", metadata: ["address": "\(host):\(bound)", "transport": "\(mode)"])
                await onRunning(bound)
            },
            logger: logger)
    }

    /// Builds the application and serves until cancelled (or, with `handleSignals`, SIGTERM/SIGINT).
    public func serve(host: String? = nil, port: Int? = nil, transport: Transport = .tls, handleSignals: Bool = true,
                      onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = try application(host: host, port: port, transport: transport, onRunning: onRunning)
        try await app.runService(gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [])
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Free bytes on the staging file system.
    var freeDiskBytes: Int64? {
        var s = statvfs()
        guard statvfs(loaded.stagingDirectory, &s) == 0 else { return nil }
        return Int64(s.f_bavail) * Int64(s.f_frsize)
    }

    func nodeAccess(_ node: RemoteNode) -> NodeAccess { NodeAccess(node: node, knownHosts: knownHosts) }
}
