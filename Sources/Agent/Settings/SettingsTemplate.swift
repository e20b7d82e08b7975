/// The commented settings file `agent init` writes.
public enum SettingsTemplate {
    /// The YAML text for `settings`, with a comment on every key.
    public static func text(for s: AgentSettings) -> String {
        func q(_ v: String?) -> String { v.map { "\"\($0)\"" } ?? "null" }
        let dirs = s.dataDirectories.isEmpty ? " []" : "\n" + s.dataDirectories.map { "  - \(q($0))" }.joined(separator: "\n")
        return """
            # cass2dynamo extraction agent settings (cass2dynamo agent serve --config THIS_FILE).
            # Relative paths are relative to the folder of this file.

            # Address and port to listen on. 8080 is the reference system's default.
            host: \(q(s.host))
            port: \(s.port)

            # TLS (our key store / trust store, as PEM files). The agent serves HTTPS only;
            # plain HTTP needs `agent serve --insecure-http` and a loopback host.
            tls:
              # Server certificate chain and its private key.
              certificate: \(q(s.tls.certificate))
              private_key: \(q(s.tls.privateKey))
              # CA that client certificates must chain to (mutual TLS). Remove the line
              # (or set null) to accept clients without a certificate (the token is still required).
              client_ca: \(q(s.tls.clientCA))

            # File holding the bearer token clients send as `Authorization: Bearer <token>`.
            token_file: \(q(s.tokenFile))

            # Task records, task logs and the node list (atomic JSON files).
            state_directory: \(q(s.stateDirectory))

            # Staged data and copies of remote nodes' SSTables.
            staging_directory: \(q(s.stagingDirectory))

            # Local folders that tasks may read (data directories, snapshots, schema files).
            # A task naming a path outside them is refused.
            data_directories:\(dirs)

            # trace, debug, info, notice, warning, error, critical. Logs go to stderr (journald).
            log_level: \(q(s.logLevel))

            """
    }
}
