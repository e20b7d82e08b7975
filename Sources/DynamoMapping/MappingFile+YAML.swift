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
            return try YAMLDocument.decode(MappingFile.self, from: text)
        } catch {
            throw MappingError("mapping file\(error.line.map { ", line \($0)" } ?? ""): \(error.message)")
        }
    }
}
