import Yams

extension MappingFile {
    /// The mapping as YAML (`mapping.yaml`), with a header comment explaining what may be edited.
    public func yaml() throws -> String {
        let encoder = YAMLEncoder()
        encoder.options.sortKeys = false
        encoder.options.width = -1
        let body = try encoder.encode(self)
        return """
            # cass2dynamo mapping: one entry per Cassandra table. Edit and keep this file; every later
            # step (migrate, load, validate) reads it. See docs/mapping.md for every field.
            # Policies: invalid_key fail|skip; non_finite_number and number_out_of_range string|omit|fail|skip;
            # empty_set omit|list|fail|skip; empty_map_key fail|skip|omit; oversized_item fail|skip|s3 (needs s3_location);
            # unknown_column fail|skip (cells of a column the SSTables hold but the schema lacks).

            """ + body
    }

    /// Parses a mapping file.
    public static func parse(yaml text: String) throws(MappingError) -> MappingFile {
        do {
            return try YAMLDecoder().decode(MappingFile.self, from: text)
        } catch DecodingError.dataCorrupted(let context) where context.underlyingError is YamlError {
            // Yams hands a syntax error on inside a DecodingError.
            throw MappingError("mapping file: \(Self.message(context.underlyingError as? YamlError))")
        } catch let error as DecodingError {
            throw MappingError("mapping file\(line(of: error, in: text).map { ", line \($0)" } ?? ""): \(error.userMessage)")
        } catch {
            throw MappingError("mapping file: \(error)")
        }
    }

    /// The line of the YAML node a decoding error is about: the deepest node of its path that the
    /// file has (for a missing key, the mapping that lacks it).
    static func line(of error: DecodingError, in text: String) -> Int? {
        let path: [any CodingKey]
        switch error {
        case .keyNotFound(_, let context), .valueNotFound(_, let context), .typeMismatch(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        @unknown default:
            return nil
        }
        guard var node = (try? Yams.compose(yaml: text)) ?? nil else { return nil }
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
