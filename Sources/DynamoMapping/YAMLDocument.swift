import Yams

/// A YAML file people edit (mapping.yaml, the agent's settings) that does not decode: the line
/// when known, and what is wrong in the file's words (key path, allowed values), never a Swift
/// type dump.
public struct YAMLDocumentError: Error, Sendable, CustomStringConvertible {
    /// The line of the node the error is about (1-based), when the file has it.
    public var line: Int?
    /// `tables[0].policies.oversized_item: 'x' is not one of fail, skip, s3`, or the syntax error.
    public var message: String
    /// The error a value's own decoder threw (it names the key itself), when that is the cause.
    public var underlying: (any Error)?

    public var description: String { (line.map { "line \($0): " } ?? "") + message }
}

/// Decodes YAML documents with errors in the user's words.
public enum YAMLDocument {
    /// Decodes `text` as `T`; a value's own error (thrown by its `init(from:)`) keeps its text.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws(YAMLDocumentError) -> T {
        do {
            return try YAMLDecoder().decode(T.self, from: text)
        } catch DecodingError.dataCorrupted(let context) where context.underlyingError is YamlError {
            // Yams hands a syntax error on inside a DecodingError; its message names the line.
            throw YAMLDocumentError(message: message(context.underlyingError as? YamlError))
        } catch let error as DecodingError {
            var underlying: (any Error)?
            if case .dataCorrupted(let context) = error { underlying = context.underlyingError }
            throw YAMLDocumentError(line: line(of: error, in: text), message: error.userMessage, underlying: underlying)
        } catch let error as YamlError {
            throw YAMLDocumentError(message: message(error))
        } catch {
            throw YAMLDocumentError(message: "not a valid document (\(error))")
        }
    }

    /// The line of the YAML node a decoding error is about: the deepest node of its path that the
    /// file has (for a missing key, the mapping that lacks it); nil for the document itself.
    static func line(of error: DecodingError, in text: String) -> Int? {
        let path: [any CodingKey]
        switch error {
        case .keyNotFound(_, let context), .valueNotFound(_, let context), .typeMismatch(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        @unknown default:
            return nil
        }
        // The whole document's line says nothing.
        guard !path.isEmpty, var node = (try? Yams.compose(yaml: text)) ?? nil else { return nil }
        for key in path {
            let next: Node?
            if let index = key.intValue {
                next = node.sequence.flatMap { index < $0.count ? $0[index] : nil }
            } else {
                next = node.mapping?[key.stringValue]
            }
            guard let next else { break }
            node = next
        }
        return node.mark?.line
    }

    /// A YAML syntax error on one line: where, what, and the construct it was in.
    static func message(_ error: YamlError?) -> String {
        func at(_ mark: Mark) -> String { "line \(mark.line), column \(mark.column)" }
        func located(_ context: YamlError.Context?, _ problem: String, _ mark: Mark) -> String {
            "not valid YAML at \(at(mark)): \(problem)" + (context.map { " (\($0.text) at \(at($0.mark)))" } ?? "")
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return located(context, problem, mark)
        case .reader(let problem, let offset, _, _):
            return "not readable as YAML text" + (offset.map { " at byte \($0)" } ?? "") + ": \(problem)"
        case .dataCouldNotBeDecoded:
            return "not UTF-8 text"
        case .no, .memory, .writer, .emitter, .representer, nil:
            return "not valid YAML"
        }
    }
}
