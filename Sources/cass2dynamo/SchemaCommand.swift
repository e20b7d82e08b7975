import ArgumentParser
import CQL
import SSTable

#if canImport(Glibc)
import Glibc
#endif

/// `cass2dynamo schema DATA_DIR`: the node's schema, read from its own system tables, as CQL.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the schema a Cassandra data directory keeps in its system tables, as CQL.",
        discussion: "DATA_DIR is the data_file_directories root holding <keyspace>/<table>-<id>/ folders and system_schema/.")

    @Argument(help: "A Cassandra data directory.", completion: .directory)
    var dataDirectory: String

    func run() throws {
        do {
            guard NodeSchema.isPresent(in: dataDirectory) else {
                throw CLIError("\(dataDirectory): no system_schema (3.0+) or system/schema_* (2.x) tables: not a Cassandra data directory")
            }
            let schema = try NodeSchema.read(dataDirectory: dataDirectory, now: Int64(time(nil)))
            print(schema.createStatements, terminator: "")
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
    }
}
