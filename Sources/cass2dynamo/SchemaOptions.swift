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

    /// The parsed schema file, if one was given.
    func loadSchemaFile() throws -> CQLSchema? {
        guard let schema else { return nil }
        let text: String
        do { text = try readTextFile(schema) } catch { throw CLIError("\(schema): \(error)") }
        do { return try CQLSchema.parse(text) } catch { throw CLIError("\(schema): \(error)") }
    }

    /// The schema of one table: from `--schema`, else from a `schema.cql` beside the SSTables
    /// (as in Cassandra snapshots), else nil (the reader infers it from the SSTable header).
    func tableSchema(for location: TableLocation, file: CQLSchema?) throws -> TableSchema? {
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
        return nil
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
