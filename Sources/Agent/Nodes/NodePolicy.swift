import Foundation

/// What the operator's settings let a registered node be: a plain name and user, a host of
/// `nodes.allowed_hosts`, key files inside `nodes.key_directories`, and plain absolute paths on the node.
public struct NodePolicy: Sendable {
    let allowedHosts: HostAllowList
    let keyDirectories: [String]

    public init(_ loaded: LoadedSettings) {
        allowedHosts = HostAllowList(patterns: loaded.settings.nodes.allowedHosts)
        keyDirectories = loaded.keyDirectories
    }

    /// Refuses a node the settings do not allow: 400 for a malformed field, 403 for a host or key file outside the settings.
    func check(_ node: RemoteNode) throws(APIError) {
        try PlainName.check(node.name, field: "name", extra: ["."])
        let prefix = "node \(node.name): "
        do throws(APIError) {
            guard HostAllowList.address(node.host) != nil || PlainName.isValid(node.host, extra: ["."]) else {
                throw APIError.badRequest("host must be a host name or an IP address")
            }
            guard allowedHosts.allows(node.host) else {
                let list = allowedHosts.patterns.isEmpty ? "none are configured" : allowedHosts.patterns.joined(separator: ", ")
                throw APIError(403, "host \(node.host) is not in nodes.allowed_hosts of agent-settings.yaml (\(list))")
            }
            try PlainName.check(node.user, field: "user", extra: ["."])
            if let port = node.port, !(1...65535).contains(port) { throw APIError.badRequest("port must be 1-65535") }
            let identity = try ConfinedPath.check(node.identityFile, field: "identityFile", folders: keyDirectories, settingName: "key directories (nodes.key_directories)")
            guard FileManager.default.isReadableFile(atPath: identity) else { throw APIError.badRequest("identityFile \(node.identityFile) is not readable") }
            if let known = node.knownHostsFile {
                _ = try ConfinedPath.check(known, field: "knownHostsFile", folders: keyDirectories, settingName: "key directories (nodes.key_directories)")
            }
            guard node.dataDirectories?.isEmpty == false || node.cassandraYaml != nil else { throw APIError.badRequest("give dataDirectories or cassandraYaml") }
            for (i, d) in (node.dataDirectories ?? []).enumerated() { try Self.checkRemotePath(d, field: "dataDirectories[\(i)]") }
            if let yaml = node.cassandraYaml { try Self.checkRemotePath(yaml, field: "cassandraYaml") }
        } catch {
            throw APIError(error.status, prefix + error.message)
        }
    }

    /// A path on the node: absolute, without `..` and without control characters (it ends up in
    /// shell commands, quoted, and in sftp batch lines).
    static func checkRemotePath(_ path: String, field: String) throws(APIError) {
        let parts = path.split(separator: "/")
        guard path.hasPrefix("/"), path.count <= 4096, !parts.contains(".."), !path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .badRequest("\(field) must be an absolute path without '..' or control characters")
        }
    }
}
