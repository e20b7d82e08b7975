/// A parsed AWS shared config or credentials file (INI with AWS's nested-section extension).
///
/// Sections are `[name]`; `key = value` lines belong to the last section. A key with an empty
/// value followed by indented lines starts a sub-section (`dynamodb =` / `  endpoint_url = …`),
/// stored as `parent.child`. Comments start with `#` or `;`.
package struct INIFile: Sendable, Equatable {
    /// Section name → key → value. Keys are lower-cased.
    package var sections: [String: [String: String]]

    /// Parses the text of a file; malformed lines are ignored, as botocore does.
    package init(parsing text: String) {
        var sections: [String: [String: String]] = [:]
        var current: String?
        var nestedParent: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let line = String(rawLine)
            let trimmed = Self.trim(line)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            let indented = line.first == " " || line.first == "\t"
            if !indented, trimmed.hasPrefix("["), trimmed.hasSuffix("]") {
                let name = Self.trim(String(trimmed.dropFirst().dropLast()))
                current = name
                nestedParent = nil
                if sections[name] == nil { sections[name] = [:] }
                continue
            }
            guard let section = current, let equals = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            let key = Self.trim(String(trimmed[..<equals])).lowercased()
            var value = Self.trim(String(trimmed[trimmed.index(after: equals)...]))
            value = Self.stripInlineComment(value)
            if indented, let parent = nestedParent {
                sections[section, default: [:]][parent + "." + key] = value
            } else {
                nestedParent = value.isEmpty ? key : nil
                sections[section, default: [:]][key] = value
            }
        }
        self.sections = sections
    }

    /// Drops an inline comment that starts with whitespace followed by `#` or `;`.
    private static func stripInlineComment(_ value: String) -> String {
        var previous: Character = "x"
        for index in value.indices {
            let character = value[index]
            if (character == "#" || character == ";"), previous == " " || previous == "\t" {
                return trim(String(value[..<index]))
            }
            previous = character
        }
        return value
    }

    private static func trim(_ text: String) -> String {
        var slice = Substring(text)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
