import DynamoModel
import CQL
import SSTable

/// Prices used for cost estimates, in USD. Defaults are us-east-1 list prices (2025) and are
/// inputs: pass your region's prices.
public struct Prices: Sendable, Hashable, Codable {
    /// ImportTable: per GB of uncompressed source data in S3.
    public var importPerGB = 0.15
    /// On-demand: per million write request units (1 WRU = one write of up to 1 KB).
    public var writeRequestsPerMillion = 0.625
    /// Standard table class storage per GB-month.
    public var storagePerGBMonth = 0.25

    public init() {}

    enum CodingKeys: String, CodingKey {
        case importPerGB = "import_per_gb", writeRequestsPerMillion = "write_requests_per_million", storagePerGBMonth = "storage_per_gb_month"
    }
}

/// A histogram bucket: values ≤ `upTo` bytes (the last bucket is open).
public struct SizeBucket: Sendable, Hashable, Codable {
    public var upTo: Int
    public var count: Int
    enum CodingKeys: String, CodingKey { case upTo = "up_to", count }
}

/// Counts sizes into power-of-four buckets from 256 B to 400 KB and beyond.
public struct SizeHistogram: Sendable, Hashable, Codable {
    public static let bounds = [256, 1024, 4096, 16384, 65536, 262_144, 409_600, Int.max]
    public var buckets: [SizeBucket] = SizeHistogram.bounds.map { SizeBucket(upTo: $0, count: 0) }
    public var count = 0
    public var total = 0
    public var max = 0

    public init() {}

    public mutating func add(_ size: Int) {
        count += 1
        total += size
        max = Swift.max(max, size)
        let i = SizeHistogram.bounds.firstIndex { size <= $0 } ?? SizeHistogram.bounds.count - 1
        buckets[i].count += 1
    }

    public var average: Double { count == 0 ? 0 : Double(total) / Double(count) }
}

/// Issues of one kind over a table.
public struct IssueSummary: Sendable, Hashable, Codable {
    public var kind: IssueKind
    public var severity: Severity
    public var rows: Int
    public var policy: String
    public var explanation: String
    public var samples: [String]
}

/// Cost of loading one table.
public struct CostEstimate: Sendable, Hashable, Codable {
    public var items: Int
    public var itemGB: Double
    /// Estimated DynamoDB JSON bytes staged in S3 (what ImportTable bills).
    public var importGB: Double
    public var importCost: Double
    /// Write request units for BatchWriteItem into an on-demand table (GSIs included).
    public var writeRequestUnits: Int
    public var onDemandCost: Double
    public var storageMonthlyCost: Double

    enum CodingKeys: String, CodingKey {
        case items, itemGB = "item_gb", importGB = "import_gb", importCost = "import_cost"
        case writeRequestUnits = "write_request_units", onDemandCost = "on_demand_cost", storageMonthlyCost = "storage_monthly_cost"
    }
}

/// What the assessment found for one table.
public struct TableAssessment: Sendable, Hashable, Codable {
    public var source: String
    public var design: TableDesign
    public var cql: String
    public var sstables: Int
    public var dataBytes: Int64
    public var estimatedPartitions: Int64?
    public var estimatedRows: Int64?
    /// True when every row was read and converted (exact numbers); false for Statistics estimates.
    public var scanned: Bool
    public var rowsRead: Int
    public var rowsSkipped: Int
    /// Rows a `fail` policy would stop the migration at.
    public var rowsFailing: Int
    public var itemSizes: SizeHistogram
    public var partitionSizes: SizeHistogram
    public var issues: [IssueSummary]
    public var cost: CostEstimate
    public var warnings: [String]

    /// The most serious issue severity (info when none).
    public var worst: Severity { issues.map(\.severity).max() ?? .info }

    enum CodingKeys: String, CodingKey {
        case source, design, cql, sstables, dataBytes = "data_bytes", estimatedPartitions = "estimated_partitions"
        case estimatedRows = "estimated_rows", scanned, rowsRead = "rows_read", rowsSkipped = "rows_skipped", rowsFailing = "rows_failing"
        case itemSizes = "item_sizes", partitionSizes = "partition_sizes", issues, cost, warnings
    }
}

/// The whole report.
public struct Assessment: Sendable, Hashable, Codable {
    public var generatedAt: String
    public var source: String
    public var prices: Prices
    public var tables: [TableAssessment]

    enum CodingKeys: String, CodingKey { case generatedAt = "generated_at", source, prices, tables }

    public init(generatedAt: String, source: String, prices: Prices, tables: [TableAssessment]) {
        self.generatedAt = generatedAt
        self.source = source
        self.prices = prices
        self.tables = tables
    }

    public var totalCost: (importCost: Double, onDemandCost: Double) {
        (tables.reduce(0) { $0 + $1.cost.importCost }, tables.reduce(0) { $0 + $1.cost.onDemandCost })
    }
}

/// Builds assessments: from a schema alone, from SSTable statistics, or by converting every row.
public enum Assessor {
    /// DynamoDB JSON in S3 is larger than the item: type wrappers, quotes, base64. A measured
    /// factor is used when scanning; this is the estimate otherwise.
    public static let jsonOverhead = 1.4

    /// Assesses one table. With `reader` and `scan`, every row is converted (exact); with a
    /// reader only, Statistics estimates are used.
    public static func assess(
        schema: TableSchema, design: TableDesign, reader: TableReader?, scan: Bool, prices: Prices
    ) throws -> TableAssessment {
        var converter = try ItemConverter(design: design, schema: schema, columns: reader?.outputColumns)
        converter.stopOnFailure = false
        var items = SizeHistogram()
        var partitions = SizeHistogram()
        var warnings: [String] = []
        var sstables = 0
        var dataBytes: Int64 = 0
        var estPartitions: Int64?
        var estRows: Int64?
        var jsonBytes = 0
        var itemWriteUnits = 0
        if let reader {
            sstables = reader.sstables.count
            for s in reader.sstables {
                dataBytes += s.uncompressedLength
                if let p = s.statistics.estimatedPartitions { estPartitions = (estPartitions ?? 0) + p }
                if let r = s.statistics.totalRows { estRows = (estRows ?? 0) + r }
            }
            if scan {
                var lastKey: AttributeValue?
                var partitionBytes = 0
                let pkAttribute = design.partitionKey.attribute
                try reader.forEachRow { row in
                    try converter.convert(row) { converted in
                        items.add(converted.size)
                        itemWriteUnits += Swift.max(1, (converted.size + 1023) / 1024)
                        jsonBytes += converted.item.jsonSizeEstimate
                        let key = converted.item[pkAttribute]
                        if key != lastKey {
                            if lastKey != nil { partitions.add(partitionBytes) }
                            lastKey = key
                            partitionBytes = 0
                        }
                        partitionBytes += converted.size
                    }
                }
                if lastKey != nil { partitions.add(partitionBytes) }
                warnings += reader.warnings
            }
        }
        var issues: [IssueSummary] = []
        for (kind, rows) in converter.issueCounts.sorted(by: { $0.key < $1.key }) {
            let samples = converter.samples[kind] ?? []
            let policy = samples.first.flatMap { s in s.split(separator: "(").last.map { String($0.dropLast()) } } ?? ""
            let severity = ConversionIssue(kind: kind, column: nil, message: "", action: policy).severity
            issues.append(IssueSummary(kind: kind, severity: severity, rows: rows, policy: policy, explanation: kind.explanation, samples: samples))
        }
        if let reader, let unknown = unknownColumnIssue(reader.unknownColumns, policy: design.policies.unknownColumn, counted: scan) {
            issues.append(unknown)
        }
        // Schema-level findings, known without reading a row.
        issues += schemaFindings(schema, design)
        let gsiCount = design.indexes.count
        let itemCount: Int
        let itemBytes: Double
        var wru = 0
        if scan, reader != nil {
            itemCount = items.count
            itemBytes = Double(items.total)
        } else {
            itemCount = Int(estRows ?? estPartitions ?? 0)
            itemBytes = Double(dataBytes)
            jsonBytes = Int(Double(dataBytes) * jsonOverhead)
        }
        if scan, reader != nil {
            // Exact per item: ceil(size / 1 KB) per write, once for the table and once per GSI.
            wru = itemWriteUnits * (1 + gsiCount)
        } else {
            let avg = itemCount == 0 ? 0 : itemBytes / Double(itemCount)
            wru = Int((Double(itemCount) * max(1, (avg / 1024).rounded(.up))).rounded()) * (1 + gsiCount)
        }
        let gb = 1024.0 * 1024 * 1024
        let importGB = Double(jsonBytes) / gb
        let storageGB = (itemBytes + Double(itemCount) * 100) / gb * Double(1 + gsiCount)
        let cost = CostEstimate(
            items: itemCount, itemGB: itemBytes / gb, importGB: importGB, importCost: importGB * prices.importPerGB,
            writeRequestUnits: wru, onDemandCost: Double(wru) / 1_000_000 * prices.writeRequestsPerMillion,
            storageMonthlyCost: storageGB * prices.storagePerGBMonth)
        return TableAssessment(
            source: design.source, design: design, cql: schema.createStatement, sstables: sstables, dataBytes: dataBytes,
            estimatedPartitions: estPartitions, estimatedRows: estRows, scanned: scan && reader != nil, rowsRead: converter.rowsRead,
            rowsSkipped: converter.rowsSkipped, rowsFailing: converter.rowsFailing, itemSizes: items, partitionSizes: partitions, issues: issues, cost: cost, warnings: warnings)
    }

    /// Columns the SSTables store but the schema has not, with the files and (after a scan) their
    /// cells; nil when there are none. `rows` counts cells here.
    public static func unknownColumnIssue(_ unknown: [TableReader.UnknownColumns], policy: UnknownColumnAction, counted: Bool) -> IssueSummary? {
        guard !unknown.isEmpty else { return nil }
        let samples = unknown.map { u in
            "\(u.path): \(u.columns.joined(separator: ", "))" + (counted ? " (\(u.cells) cells)" : "") + " (\(policy.rawValue))"
        }
        let severity = ConversionIssue(kind: .unknownColumn, column: nil, message: "", action: policy.rawValue).severity
        return IssueSummary(kind: .unknownColumn, severity: severity, rows: unknown.reduce(0) { $0 + $1.cells }, policy: policy.rawValue,
                            explanation: IssueKind.unknownColumn.explanation, samples: samples)
    }

    /// Findings from the schema and design alone.
    static func schemaFindings(_ schema: TableSchema, _ design: TableDesign) -> [IssueSummary] {
        var out: [IssueSummary] = []
        func add(_ severity: Severity, _ text: String) {
            out.append(IssueSummary(kind: .invalidValue, severity: severity, rows: 0, policy: "design", explanation: text, samples: []))
        }
        if schema.isCounterTable { add(.warning, "Counter columns become plain numbers; increments after the copy must use UpdateItem ADD.") }
        for c in schema.allColumns {
            switch c.type.unreversed {
            case .double, .float: add(.info, "\(c.name) (\(c.type.unreversed.cqlName)): NaN/Infinity values follow non_finite_number: \(design.policies.nonFiniteNumber.rawValue).")
            case .varint, .decimal: add(.info, "\(c.name) (\(c.type.unreversed.cqlName)): numbers over 38 digits follow number_out_of_range: \(design.policies.numberOutOfRange.rawValue).")
            case .set where design.setFormat == .set: add(.info, "\(c.name) (set): empty sets follow empty_set: \(design.policies.emptySet.rawValue).")
            case .map(let key, _, _) where [.text, .ascii].contains(key.unreversed):
                add(.info, "\(c.name) (map): an empty-string key follows empty_map_key: \(design.policies.emptyMapKey.rawValue).")
            default: break
            }
        }
        if schema.clustering.contains(where: { $0.type.unreversed == .text || $0.type.unreversed == .ascii || $0.type.unreversed == .blob }) && design.sortKey?.encoding == .native {
            add(.info, "Sort key \(design.sortKey!.attribute): an empty value follows invalid_key: \(design.policies.invalidKey.rawValue).")
        }
        return out
    }
}

extension DynamoItem {
    /// Bytes of the item as one DynamoDB JSON line (`{"Item":{…}}`), estimated without encoding.
    var jsonSizeEstimate: Int {
        var n = 10
        for (k, v) in self { n += k.utf8.count + 4 + v.jsonSizeEstimate }
        return n
    }
}

extension AttributeValue {
    var jsonSizeEstimate: Int {
        switch self {
        case .s(let s): return s.utf8.count + 9
        case .n(let s): return s.utf8.count + 9
        case .b(let b): return (b.count + 2) / 3 * 4 + 9
        case .bool: return 12
        case .null: return 13
        case .ss(let m), .ns(let m): return m.reduce(10) { $0 + $1.utf8.count + 3 }
        case .bs(let m): return m.reduce(10) { $0 + ($1.count + 2) / 3 * 4 + 3 }
        case .l(let l): return l.reduce(9) { $0 + $1.jsonSizeEstimate + 1 }
        case .m(let m): return m.reduce(9) { $0 + $1.key.utf8.count + 4 + $1.value.jsonSizeEstimate }
        }
    }
}
