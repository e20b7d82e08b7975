import ArgumentParser
import CQL
import SSTable
#if canImport(Glibc)
import Glibc
#endif

/// `--schema FILE.cql`, and how a table's schema is found without it.
struct SchemaOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("CQL file with the table definitions (CREATE TABLE/TYPE).", valueName: "FILE.cql"),
            completion: .file(extensions: ["cql"]))
    var schema: String?

    @Option(help: ArgumentHelp("Read the snapshot of this name (<table>/snapshots/NAME/) instead of live data.", valueName: "NAME"))
    var snapshot: String?

    /// The parsed schema file, if one was given.
    func loadSchemaFile() throws -> CQLSchema? {
        guard let schema else { return nil }
        let text: String
        do { text = try readTextFile(schema) } catch { throw CLIError("\(schema): \(error)") }
        do { return try CQLSchema.parse(text) } catch { throw CLIError("\(schema): \(error)") }
    }

    /// The schema of one table: from `--schema`, else from a `schema.cql` beside the SSTables
    /// (as in Cassandra snapshots), else from the node's own `system_schema` when the table
    /// folder sits in a data directory, else nil (the reader infers it from the SSTable header).
    func tableSchema(for location: TableLocation, file: CQLSchema?, nodeSchemas: inout [String: CQLSchema], now: Int64) throws -> TableSchema? {
        if let file {
            guard let table = file.table(keyspace: location.keyspace, name: location.table) ?? file.table(keyspace: nil, name: location.table)
            else {
                throw CLIError("\(schema!): no CREATE TABLE for \(location.keyspace.map { "\($0)." } ?? "")\(location.table)")
            }
            return table
        }
        for directory in location.directories {
            let path = directory + "/schema.cql"
            guard let text = try? readTextFile(path) else { continue }
            let parsed: CQLSchema
            do { parsed = try CQLSchema.parse(text) } catch { throw CLIError("\(path): \(error)") }
            if let table = parsed.table(keyspace: location.keyspace, name: location.table) ?? parsed.table(keyspace: nil, name: location.table) {
                return table
            }
        }
        for directory in location.directories {
            // <data>/<keyspace>/<table>-<id>[/snapshots/<name>]
            var dataDirectory = directory
            for _ in 0..<2 { dataDirectory = parent(dataDirectory) }
            if parent(directory).hasSuffix("/snapshots") { for _ in 0..<2 { dataDirectory = parent(dataDirectory) } }
            guard NodeSchema.isPresent(in: dataDirectory) else { continue }
            if nodeSchemas[dataDirectory] == nil {
                nodeSchemas[dataDirectory] = try NodeSchema.read(dataDirectory: dataDirectory, now: now)
            }
            if let table = nodeSchemas[dataDirectory]!.table(keyspace: location.keyspace, name: location.table) { return table }
        }
        return nil
    }

    private func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

/// Reads a whole text file.
func readTextFile(_ path: String) throws -> String {
    guard let file = fopen(path, "rb") else { throw CLIError("cannot open: \(String(cString: strerror(errno)))") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&chunk, 1, chunk.count, file)
        if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
        if n < chunk.count { break }
    }
    if ferror(file) != 0 { throw CLIError("read failed") }
    return String(decoding: bytes, as: UTF8.self)
}
