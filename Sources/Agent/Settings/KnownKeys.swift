/// Refuses a key that a settings section does not have (a misspelt `allowed_hosts` must not be
/// silently ignored): one line naming the key and the section's keys.
func checkKnownKeys<Key: CodingKey & CaseIterable>(_ decoder: any Decoder, _: Key.Type) throws {
    let known = Key.allCases.map(\.stringValue)
    let section = decoder.codingPath.map(\.stringValue).joined(separator: ".")
    for key in try decoder.container(keyedBy: SettingsKey.self).allKeys.map(\.stringValue).sorted() where !known.contains(key) {
        let name = section.isEmpty ? key : "\(section).\(key)"
        let keys = section.isEmpty ? "the top-level keys" : "the keys of \(section)"
        throw AgentError("unknown key \(name); \(keys) are \(known.joined(separator: ", "))")
    }
}

/// Any key of a settings section, as written.
private struct SettingsKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
