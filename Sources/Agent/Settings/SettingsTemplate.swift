/// The commented settings file `agent init` writes.
public enum SettingsTemplate {
    /// The YAML text for `settings`, with a comment on every key.
    public static func text(for s: AgentSettings) -> String {
        func q(_ v: String?) -> String { v.map { "\"\($0)\"" } ?? "null" }
        func list(_ items: [String], indent: String = "  ") -> String {
            items.isEmpty ? " []" : "\n" + items.map { "\(indent)- \(q($0))" }.joined(separator: "\n")
        }
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
            data_directories:\(list(s.dataDirectories))

            # trace, debug, info, notice, warning, error, critical. Logs go to stderr (journald).
            log_level: \(q(s.logLevel))

            # Remote Cassandra nodes (POST /v1/nodes). Only the operator sets these: a client of the
            # API can register nodes only within them, and never sends a command to run.
            nodes:
              # Hosts a node may be: host names (as written, any case), IP addresses, CIDR blocks
              # (10.0.0.0/8) and *.domain patterns. Empty: no node can be registered.
              allowed_hosts:\(list(s.nodes.allowedHosts, indent: "    "))
              # Folders holding the nodes' SSH keys and known_hosts files; a node's identityFile
              # and knownHostsFile must lie inside one of them.
              key_directories:\(list(s.nodes.keyDirectories, indent: "    "))
              # Run on a node (over SSH) to take and to clear a task's snapshot; {tag} becomes the
              # shell-quoted snapshot name, e.g. "sudo -n -u cassandra nodetool snapshot -t {tag}".
              snapshot_command: \(q(s.nodes.snapshotCommand))
              clear_snapshot_command: \(q(s.nodes.clearSnapshotCommand))

            # Where dynamodb tasks send requests. Tasks cannot name an endpoint. Credentials come
            # from the agent's environment (AWS_ACCESS_KEY_ID, ...), the profile below or the
            # shared AWS files, never from a task.
            aws:
              # Region of DynamoDB and S3 (null: AWS_REGION or the profile's region).
              region: \(q(s.aws.region))
              # Endpoint URL for DynamoDB and S3, e.g. a VPC endpoint (null: the AWS endpoints).
              endpoint_url: \(q(s.aws.endpointURL))
              # Profile of ~/.aws/credentials and ~/.aws/config (null: AWS_PROFILE or default).
              profile: \(q(s.aws.profile))
              # Regions a task may choose with target.region (empty: always the region above).
              allowed_regions:\(list(s.aws.allowedRegions, indent: "    "))

            """
    }
}
