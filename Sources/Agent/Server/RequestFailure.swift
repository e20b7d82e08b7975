import DynamoMapping
import Foundation

/// A request the API could not read, in words: the field (as a JSON path, `source.tables[1]`) and what is wrong with it.
enum RequestFailure {
    /// Fields that were removed, with where their setting lives now.
    static let moved = [
        "endpoint": "the endpoint comes from aws.endpoint_url in the agent's agent-settings.yaml",
        "snapshotCommand": "snapshot commands live in the agent's agent-settings.yaml (nodes.snapshot_command)",
        "clearSnapshotCommand": "snapshot commands live in the agent's agent-settings.yaml (nodes.clear_snapshot_command)",
    ]

    static func message(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field \(path(context.codingPath + [key]))"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) must be \(jsonType(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) must be \(jsonType(type)), not null"
        case .dataCorrupted(let context):
            // The generated decoders refuse a field their schema does not list (additionalProperties: false).
            if context.debugDescription.hasPrefix("Additional properties are disabled"), let key = context.codingPath.last {
                let name = path(context.codingPath)
                if let hint = moved[key.stringValue] { return "\(name) is no longer accepted: \(hint)" }
                return "unknown field \(name) (docs/agent-openapi.yaml lists the fields)"
            }
            if context.codingPath.isEmpty {
                return "malformed JSON: \(context.underlyingError.map { "\($0.localizedDescription)" } ?? context.debugDescription)"
            }
            return "\(path(context.codingPath)) has a value the API does not accept (docs/agent-openapi.yaml lists them)"
        @unknown default:
            return "the body is not what docs/agent-openapi.yaml describes"
        }
    }

    /// Whether the error names no field.
    static func isTopLevel(_ error: DecodingError) -> Bool {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): context.codingPath.isEmpty
        case .keyNotFound: false
        @unknown default: false
        }
    }

    /// What the value should have been, in words.
    static func expected(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, _), .valueNotFound(let type, _): jsonType(type)
        default: "of the type docs/agent-openapi.yaml gives"
        }
    }

    /// The JSON name of what a Swift type decodes from.
    static func jsonType(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        case is [Any].Type, is [String].Type: "an array"
        default: "an object"
        }
    }

    /// `source.tables[1]`; the top level when there is no key.
    static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "top level" : DecodingError.path(keys)
    }
}
