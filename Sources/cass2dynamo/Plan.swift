import ArgumentParser
import CQL
import DynamoMapping
import Foundation
import SSTable

/// `cass2dynamo plan`: designs the DynamoDB tables, writes mapping.yaml and the assessment report.
struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Design the DynamoDB tables, write mapping.yaml and an assessment report (HTML, JSON, Markdown).",
        discussion: """
            Reads the CQL schema (--schema, schema.cql beside the SSTables, or the node's system_schema) \
            and, given DATA_DIR, the SSTables' statistics (or every row with --scan). Writes OUT/mapping.yaml \
            (kept and extended if it exists: edit it, every later step reads it), and OUT/report.html, \
            report.json and report.md: per table the DynamoDB design, conversion issues with the rows \
            affected, size distributions, and the cost of ImportTable versus on-demand writes.
            """,
        aliases: ["assess"])

    @Argument(help: "A data directory, keyspace folder or table folder (optional with --schema).", completion: .directory)
    var path: String?

    @OptionGroup var schemaOptions: SchemaOptions

    @Option(help: "Folder for mapping.yaml and the report files.", completion: .directory)
    var out = "."

    @Option(help: "The mapping file to read and extend (default OUT/mapping.yaml).", completion: .file(extensions: ["yaml"]))
    var mapping: String?

    @Flag(help: "Convert every row: exact issue counts, item and partition size distributions.")
    var scan = false

    @Option(help: "Static columns: copy (into every item) or item (one item per partition).")
    var statics: StaticMode = .copy

    @Option(help: "timestamp columns as epoch_ms (N) or iso8601 (S).")
    var timestamps: TimestampFormat = .epochMillis

    @Option(help: "Prefix for DynamoDB table names.")
    var tablePrefix = ""

    @Option(parsing: .unconditional, help: "ImportTable price per GB (USD).") var priceImportGb = Prices().importPerGB
    @Option(parsing: .unconditional, help: "On-demand price per million write request units (USD).") var priceWriteMillion = Prices().writeRequestsPerMillion
    @Option(parsing: .unconditional, help: "Storage price per GB-month (USD).") var priceStorageGbMonth = Prices().storagePerGBMonth

    @Option(parsing: .unconditional, help: "Judge TTL expiry at this time (seconds since the epoch) instead of now.")
    var now: Int64?

    func validate() throws {
        if path == nil && schemaOptions.schema == nil { throw ValidationError("give DATA_DIR or --schema FILE") }
        try OptionCheck.number(priceImportGb, "--price-import-gb", "US dollars", above: 0, inclusive: true, atMost: 1_000_000)
        try OptionCheck.number(priceWriteMillion, "--price-write-million", "US dollars", above: 0, inclusive: true, atMost: 1_000_000)
        try OptionCheck.number(priceStorageGbMonth, "--price-storage-gb-month", "US dollars", above: 0, inclusive: true, atMost: 1_000_000)
        try OptionCheck.whole(now, "--now", OptionCheck.epochSeconds)
        try OptionCheck.tablePrefix(tablePrefix)
    }

    func run() throws {
        do {
            try execute()
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
    }

    private func execute() throws {
        let nowSeconds = now ?? Int64(time(nil))
        var options = DesignOptions()
        options.statics = statics
        options.timestampFormat = timestamps
        options.tablePrefix = tablePrefix
        var prices = Prices()
        prices.importPerGB = priceImportGb
        prices.writeRequestsPerMillion = priceWriteMillion
        prices.storagePerGBMonth = priceStorageGbMonth

        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let mappingPath = mapping ?? (out as NSString).appendingPathComponent("mapping.yaml")
        var file = MappingFile(tables: [])
        if FileManager.default.fileExists(atPath: mappingPath) {
            file = try MappingFile.parse(yaml: try readTextFile(mappingPath))
        }

        // Schema file (indexes and views come from it or from the node).
        var declared = CQLSchema()
        if let schemaPath = schemaOptions.schema { declared = try CQLSchema.parse(try readTextFile(schemaPath)) }
        if let path, schemaOptions.schema == nil, NodeSchema.isPresent(in: path) {
            declared = (try? NodeSchema.read(dataDirectory: path, now: nowSeconds)) ?? declared
        }

        var work: [(TableSchema, TableReader?)] = []
        if let path {
            let resolver = try schemaOptions.resolver(now: nowSeconds)
            for found in try schemaOptions.tables(at: path) {
                let (location, schema) = try resolver.resolve(found)
                let reader = try TableReader(location: location, schema: schema, now: nowSeconds)
                if schema == nil {
                    printWarning("\(location.keyspace ?? "?").\(location.table): no schema found; using the SSTable header's (default key names)")
                }
                if declared.indexes.isEmpty, declared.views.isEmpty, let dir = location.directories.first,
                    let text = try? readTextFile(dir + "/schema.cql"), let parsed = try? CQLSchema.parse(text)
                {
                    declared.indexes += parsed.indexes
                    declared.views += parsed.views
                }
                work.append((reader.schema, reader))
            }
        } else {
            work = declared.tables.map { ($0, nil) }
        }

        var assessments: [TableAssessment] = []
        for (schema, reader) in work {
            let source = "\(schema.keyspace).\(schema.name)"
            let design: TableDesign
            if let existing = file.design(for: source) {
                design = existing
            } else {
                design = TableDesigner.propose(schema, indexes: declared.indexes, views: declared.views, options: options)
                file.tables.append(design)
            }
            let problems = TableDesigner.validate(design, against: schema)
            if !problems.isEmpty { throw CLIError("\(mappingPath): \(source): \(problems.joined(separator: "; "))") }
            assessments.append(try Assessor.assess(schema: schema, design: design, reader: reader, scan: scan, prices: prices))
        }
        try write(try file.yaml(), to: mappingPath)

        let stamp = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(nowSeconds)))
        let assessment = Assessment(generatedAt: stamp, source: path ?? schemaOptions.schema ?? "", prices: prices, tables: assessments)
        try write(AssessmentReport.html(assessment), to: (out as NSString).appendingPathComponent("report.html"))
        try write(try AssessmentReport.json(assessment), to: (out as NSString).appendingPathComponent("report.json"))
        let markdown = AssessmentReport.markdown(assessment)
        try write(markdown, to: (out as NSString).appendingPathComponent("report.md"))
        print(markdown)
        print("Wrote \(mappingPath), \(out)/report.html, report.json, report.md")
    }

    private func write(_ text: String, to path: String) throws {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch { throw CLIError("\(path): \(error)") }
    }
}
