import ArgumentParser
import CQL
import SSTable

#if canImport(Glibc)
import Glibc
#endif

/// `--schema FILE.cql` and `--snapshot NAME`, and how a table's schema is found without them.
struct SchemaOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("CQL file with the table definitions (CREATE TABLE/TYPE).", valueName: "FILE.cql"),
            completion: .file(extensions: ["cql"]))
    var schema: String?

    @Option(help: ArgumentHelp("Read the snapshot of this name (<table>/snapshots/NAME/), or the cassandra-medusa backup of this name, instead of live data.", valueName: "NAME"))
    var snapshot: String?

    @Option(help: "AWS region of s3:// paths (else AWS_REGION, AWS_DEFAULT_REGION, the profile).")
    var region: String?

    @Option(name: .customLong("endpoint-url"), help: "S3 endpoint of s3:// paths (else AWS_ENDPOINT_URL*, the profile).")
    var endpointURL: String?

    @Flag(help: "Read the incremental backups (<table>/backups/) instead of live data.")
    var backups = false

    @Option(name: .customLong("table"), help: ArgumentHelp(
        "The table of the schema the SSTables given belong to, whatever their folder is called (needed when the schema holds several).",
        valueName: "KEYSPACE.TABLE"))
    var table: String?

    func validate() throws {
        if let table, SchemaResolver.binding(table) == nil {
            throw ValidationError("--table takes KEYSPACE.TABLE (got '\(table)')")
        }
    }

    /// The schema resolver: `--schema`, else `schema.cql` beside the SSTables, else the node's
    /// `system_schema`, else the SSTable header; `--table` binds the SSTables to one table.
    func resolver(now: Int64) throws -> SchemaResolver {
        guard let schema else { return SchemaResolver(file: nil, table: table, now: now) }
        let text: String
        do { text = try readTextFile(schema) } catch { throw CLIError("\(schema): \(error)") }
        do { return SchemaResolver(file: try CQLSchema.parse(text), fileName: schema, table: table, now: now) } catch { throw CLIError("\(schema): \(error)") }
    }

    /// The tables under `path` (live data, or the named snapshot), a local path or an s3:// URL.
    func tables(at path: String) throws -> [TableLocation] {
        SourceStores.prepare([path], region: region, endpointURL: endpointURL)
        return try SSTableDiscovery.tables(at: path, snapshot: snapshot, backups: backups)
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
