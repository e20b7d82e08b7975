/// Identifies one SSTable on disk from its file names: folder, version, generation, format.
///
/// Names: `<ks>-<table>-<ver>-<gen>-<Component>` (jb/ka) and `<ver>-<gen>-<format>-<Component>`
/// (la and later; `gen` may be a 28-character UUID-based id from 4.1 on).
public struct SSTableDescriptor: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The folder holding the files.
    public let directory: String
    /// The file-name prefix shared by all components, e.g. `nb-1-big`.
    public let prefix: String
    public let version: SSTableVersion
    /// The generation: a number, or a UUID-based id (4.1+).
    public let generation: String
    /// Keyspace and table when the name carries them (jb/ka).
    public let keyspace: String?
    public let table: String?

    /// Path of a component file, e.g. `component("Data.db")`.
    public func path(_ component: String) -> String { "\(directory)/\(prefix)-\(component)" }

    public var dataPath: String { path("Data.db") }

    public var description: String { dataPath }

    public static func < (a: SSTableDescriptor, b: SSTableDescriptor) -> Bool {
        if a.directory != b.directory { return a.directory < b.directory }
        if let x = Int(a.generation), let y = Int(b.generation), x != y { return x < y }
        return a.prefix < b.prefix
    }

    /// Parses a component file name (not a path); nil if it is not an SSTable component
    /// (or is a temporary file).
    public static func parse(fileName: String, directory: String) -> (SSTableDescriptor, component: String)? {
        if fileName.contains("tmp-") || fileName.contains("tmplink") { return nil }
        let parts = fileName.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 4 else { return nil }
        let component = parts[parts.count - 1]
        guard component.hasSuffix(".db") || component.hasSuffix(".txt") || component.hasPrefix("Digest.") else {
            return nil
        }
        let isLetters = { (s: String) in s.count == 2 && s.utf8.allSatisfy { (97...122).contains($0) } }
        let n = parts.count
        // New scheme: ver-gen-format-Component
        if n == 4, isLetters(parts[0]), ["big", "bti"].contains(parts[2]) {
            let prefix = parts[0..<3].joined(separator: "-")
            return (
                SSTableDescriptor(
                    directory: directory, prefix: prefix, version: SSTableVersion(parts[0], format: parts[2]),
                    generation: parts[1], keyspace: nil, table: nil), component
            )
        }
        // Old scheme: ks-table-ver-gen-Component (keyspace and table names hold no '-').
        if n == 5, isLetters(parts[2]), Int(parts[3]) != nil {
            let prefix = parts[0..<4].joined(separator: "-")
            return (
                SSTableDescriptor(
                    directory: directory, prefix: prefix, version: SSTableVersion(parts[2]),
                    generation: parts[3], keyspace: parts[0], table: parts[1]), component
            )
        }
        return nil
    }
}
