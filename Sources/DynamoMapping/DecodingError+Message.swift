/// Decoding errors in the user's words: where in the file (`tables[0].policies.oversized_item`)
/// and what is wrong, never a Swift type dump.
extension DecodingError {
    public var userMessage: String {
        switch self {
        case .keyNotFound(let key, let context):
            return Self.located(context.codingPath, "the key \(key.stringValue) is missing")
        case .valueNotFound(_, let context):
            return Self.located(context.codingPath, "a value is required")
        case .typeMismatch(let type, let context):
            return Self.located(context.codingPath, "expected \(Self.describe(type))")
        case .dataCorrupted(let context):
            return Self.located(context.codingPath, context.underlyingError.map { "\($0)" } ?? context.debugDescription)
        @unknown default:
            return "\(self)"
        }
    }

    /// `tables[0].policies.oversized_item` for a coding path (empty for none).
    public static func path(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let index = key.intValue { out += "[\(index)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue }
        }
        return out
    }

    private static func located(_ codingPath: [any CodingKey], _ message: String) -> String {
        codingPath.isEmpty ? message : "\(path(codingPath)): \(message)"
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type, is Int64.Type, is Int32.Type: "a whole number"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        default: String(describing: type).hasPrefix("Array") ? "a list" : String(describing: type).hasPrefix("Dictionary") ? "a mapping" : "a value of another kind"
        }
    }
}

/// A value of a fixed set (policies, encodings): decoding any other names the allowed ones.
public protocol ChoiceValue: RawRepresentable, CaseIterable, Decodable where RawValue == String {}

extension ChoiceValue {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(rawValue: text) else {
            let allowed = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not one of \(allowed)"))
        }
        self = value
    }
}
