/// The one check for values that reach a shell command or a file path (snapshot tags, node and
/// user names, keyspace and table filters): ASCII letters, digits, `_` and `-` (plus `extra`),
/// 1 to 64 characters, not starting with `-` or `.`. Nothing a shell or a path gives a meaning to.
enum PlainName {
    static func isValid(_ value: String, extra: Set<Character> = []) -> Bool {
        guard (1...64).contains(value.count), let first = value.first, first != "-", first != "." else { return false }
        return value.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || $0 == "-" || extra.contains($0) }
    }

    /// Refuses `value` with a 400 naming `field` (as the API spells it).
    static func check(_ value: String, field: String, extra: Set<Character> = []) throws(APIError) {
        guard isValid(value, extra: extra) else {
            let more = extra.isEmpty ? "" : ", " + extra.sorted().map { "'\($0)'" }.joined(separator: ", ")
            throw .badRequest("\(field) must be 1 to 64 letters, digits, '_', '-'\(more), not starting with '-' or '.'")
        }
    }
}
