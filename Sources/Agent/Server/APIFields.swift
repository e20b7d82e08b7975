import Foundation

/// The fields a JSON object of the API may hold (a field that is an object names its own), and
/// fields that were removed, with where their setting lives now. Anything else is refused.
struct APIFields: Sendable {
    var fields: [String: APIFields?]
    var moved: [String: String] = [:]

    /// Refuses the first unknown or moved field of `value` (a parsed JSON object or array of them), naming its path.
    func check(_ value: Any, path: String = "") throws(APIError) {
        if let list = value as? [Any] {
            for (i, item) in list.enumerated() { try check(item, path: "\(path)[\(i)]") }
            return
        }
        guard let object = value as? [String: Any] else { return }
        for key in object.keys.sorted() {
            let name = path.isEmpty ? key : "\(path).\(key)"
            if let hint = moved[key] { throw .badRequest("\(name) is no longer accepted: \(hint)") }
            guard let nested = fields[key] else {
                throw .badRequest("unknown field \(name); the fields are \(fields.keys.sorted().joined(separator: ", "))")
            }
            if let nested, let inner = object[key] { try nested.check(inner, path: name) }
        }
    }
}

extension TaskSpec {
    static let apiFields = APIFields(fields: [
        "name": nil, "mapping": nil, "rowsPerSecond": nil,
        "source": APIFields(fields: ["path": nil, "nodes": nil, "snapshot": nil, "takeSnapshot": nil, "keyspaces": nil, "tables": nil,
                                     "schemaFile": nil, "schemaTable": nil, "tokenRange": APIFields(fields: ["start": nil, "end": nil])]),
        "target": APIFields(fields: ["kind": nil, "s3": nil, "mode": nil, "tablePrefix": nil, "region": nil, "maxWCU": nil, "createBucket": nil],
                            moved: ["endpoint": "the endpoint comes from aws.endpoint_url in the agent's agent-settings.yaml"]),
    ])
}

extension RemoteNode {
    static let apiFields = APIFields(
        fields: ["name": nil, "host": nil, "port": nil, "user": nil, "identityFile": nil, "dataDirectories": nil, "cassandraYaml": nil, "knownHostsFile": nil],
        moved: ["snapshotCommand": "snapshot commands live in the agent's agent-settings.yaml (nodes.snapshot_command)",
                "clearSnapshotCommand": "snapshot commands live in the agent's agent-settings.yaml (nodes.clear_snapshot_command)"])
}
