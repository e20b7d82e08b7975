import Mustache

extension AssessmentReport {
    /// The self-contained `report.html`: the Mustache template below filled from ``HTMLView``
    /// (every `{{value}}` HTML-escaped by the template engine).
    public static func html(_ a: Assessment) -> String {
        htmlTemplate.render(HTMLView(a))
    }

    // Fixed text: a parse error is a defect, caught by every test that renders a report.
    private static let htmlTemplate = try! MustacheTemplate(string: htmlText)

    private static let htmlText = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>cass2dynamo assessment</title>
        <style>
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f5f7fa;color:#1d2733}
        header{background:#232f3e;color:#fff;padding:18px 32px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#c8d1dc;font-size:13px}
        main{padding:20px 32px;max-width:1200px}
        .cards{display:flex;gap:14px;flex-wrap:wrap;margin-bottom:18px}.card{background:#fff;border-radius:8px;padding:12px 18px;box-shadow:0 1px 3px #0002;min-width:150px}
        .card b{display:block;font-size:22px}.card span{font-size:12px;color:#5a6b7d}
        table{border-collapse:collapse;width:100%;background:#fff;margin:8px 0 16px;box-shadow:0 1px 3px #0001}
        th,td{border-bottom:1px solid #e3e8ee;padding:6px 10px;text-align:left;font-size:13px;vertical-align:top}th{background:#eef2f6}
        section{background:#fff;border-radius:8px;padding:4px 18px 12px;margin:18px 0;box-shadow:0 1px 3px #0002}
        .sev{border-radius:10px;padding:1px 8px;font-size:11px;font-weight:600;color:#fff}.error{background:#c62828}.warning{background:#ef8f00}.info{background:#5a7fa8}
        .bar{background:#ff9900;height:10px;border-radius:2px;display:inline-block}
        code,pre{background:#f0f3f6;border-radius:4px;font-size:12px}pre{padding:8px;overflow-x:auto}
        .note{color:#5a6b7d;font-size:12px}
        </style></head><body>
        <header><h1>Cassandra → DynamoDB migration assessment</h1><p>Source {{source}} · generated {{generatedAt}} by cass2dynamo</p></header>
        <main>
        <h2>Summary</h2>
        <div class="cards">
        <div class="card"><b>{{tableCount}}</b><span>tables</span></div>
        <div class="card"><b>{{items}}</b><span>items</span></div>
        <div class="card"><b>{{itemData}}</b><span>item data</span></div>
        <div class="card"><b>{{errors}} / {{warnings}}</b><span>errors / warnings</span></div>
        <div class="card"><b>{{importCost}}</b><span>load by ImportTable</span></div>
        <div class="card"><b>{{onDemandCost}}</b><span>load by on-demand writes</span></div>
        </div>
        <table><tr><th>Cassandra table</th><th>DynamoDB table</th><th>Partition key</th><th>Sort key</th><th>GSIs</th><th>Items</th><th>Issues</th><th>ImportTable</th><th>On-demand</th></tr>
        {{#tables}}
        <tr><td><a href="#{{source}}">{{source}}</a></td><td>{{table}}</td><td>{{partitionKey}}</td><td>{{sortKey}}</td><td>{{indexCount}}</td><td>{{items}}</td><td><span class="sev {{severity}}">{{issueCount}}</span></td><td>{{importCost}}</td><td>{{onDemandCost}}</td></tr>
        {{/tables}}
        </table>
        <p class="note">Prices are inputs (USD, defaults are us-east-1 list prices): ImportTable {{importPrice}} per GB of DynamoDB JSON in S3; on-demand {{writePrice}} per million write request units (1 KB each, GSIs included); storage {{storagePrice}} per GB-month. "est." marks numbers from Statistics.db instead of a full scan.</p>
        {{#tables}}
        <section id="{{source}}"><h2>{{source}} → {{table}}</h2>
        <table><tr><th>Partition key (HASH)</th><td>{{partitionKey}}</td></tr><tr><th>Sort key (RANGE)</th><td>{{sortKey}}{{#descending}} · Query with ScanIndexForward=false{{/descending}}</td></tr><tr><th>Billing mode</th><td>{{billingMode}}</td></tr><tr><th>TTL</th><td>{{ttl}}</td></tr><tr><th>Statics</th><td>{{statics}}</td></tr><tr><th>Timestamps / sets</th><td>{{formats}}</td></tr></table>
        {{#hasIndexes}}
        <h3>Proposed GSIs</h3><table><tr><th>Name</th><th>HASH</th><th>RANGE</th><th>Projection</th><th>Replaces</th></tr>{{#indexes}}<tr><td>{{name}}</td><td>{{partitionKey}}</td><td>{{sortKey}}</td><td>{{projection}}</td><td>{{source}}</td></tr>{{/indexes}}</table>
        {{/hasIndexes}}
        <h3>Attributes</h3><table><tr><th>Column</th><th>CQL type</th><th>Attribute</th><th>DynamoDB type</th></tr>{{#attributes}}<tr><td>{{column}}</td><td><code>{{cqlType}}</code></td><td>{{#included}}{{attribute}}{{/included}}{{^included}}<i>excluded</i>{{/included}}</td><td>{{dynamoType}}</td></tr>{{/attributes}}</table>
        {{#hasNotes}}
        <ul>{{#notes}}<li>{{.}}</li>{{/notes}}</ul>
        {{/hasNotes}}
        <h3>Conversion issues</h3>{{^hasIssues}}<p>{{noIssues}}</p>{{/hasIssues}}{{#hasIssues}}<table><tr><th>Severity</th><th>Issue</th><th>Rows</th><th>Policy</th><th>Examples</th></tr>{{#issues}}<tr><td><span class="sev {{severity}}">{{severity}}</span></td><td>{{explanation}}</td><td>{{rows}}</td><td>{{policy}}</td><td>{{#samples}}{{.}}<br>{{/samples}}</td></tr>{{/issues}}</table>{{/hasIssues}}<h3>Sizes</h3><p>{{sizes}}</p>{{#hasHistogram}}<table><tr><th>Size up to</th><th>Items</th><th></th><th>Partitions</th><th></th></tr>{{#histogram}}<tr><td>{{upTo}}</td><td>{{items}}</td><td><span class="bar" style="width:{{itemWidth}}px"></span></td><td>{{partitions}}</td><td><span class="bar" style="width:{{partitionWidth}}px;background:#5a7fa8"></span></td></tr>{{/histogram}}</table>{{/hasHistogram}}<h3>Cost</h3><table><tr><th>ImportTable ({{importGB}} JSON)</th><td>{{importCost}}</td></tr><tr><th>On-demand writes ({{writeUnits}} WRU)</th><td>{{onDemandCost}}</td></tr><tr><th>Storage per month</th><td>{{storageCost}}</td></tr></table>{{#hasWarnings}}<ul>{{#warnings}}<li>{{.}}</li>{{/warnings}}</ul>{{/hasWarnings}}<details><summary>CQL</summary><pre>{{cql}}</pre></details></section>
        {{/tables}}
        </main></body></html>

        """
}

/// What `report.html` shows, as text and numbers ready for the template.
struct HTMLView {
    struct Index {
        let name, partitionKey, sortKey, projection, source: String
    }
    struct Attribute {
        let column, cqlType, attribute, dynamoType: String
        let included: Bool
    }
    struct Issue {
        let severity, explanation, policy: String
        let rows: Int
        let samples: [String]
    }
    struct Bucket {
        let upTo: String
        let items, itemWidth, partitions, partitionWidth: Int
    }
    struct Table {
        let source, table, partitionKey, sortKey, items, severity, importCost, onDemandCost, storageCost, importGB: String
        let indexCount, issueCount, writeUnits: Int
        let descending: Bool
        let billingMode, ttl, statics, formats: String
        let hasIndexes: Bool
        let indexes: [Index]
        let attributes: [Attribute]
        let hasNotes: Bool
        let notes: [String]
        let hasIssues: Bool
        let noIssues: String
        let issues: [Issue]
        let sizes: String
        let hasHistogram: Bool
        let histogram: [Bucket]
        let hasWarnings: Bool
        let warnings: [String]
        let cql: String
    }

    let source, generatedAt, itemData, importCost, onDemandCost, importPrice, writePrice, storagePrice: String
    let tableCount, items, errors, warnings: Int
    let tables: [Table]

    init(_ a: Assessment) {
        typealias R = AssessmentReport
        let total = a.totalCost
        source = a.source
        generatedAt = a.generatedAt
        tableCount = a.tables.count
        items = a.tables.reduce(0) { $0 + $1.cost.items }
        itemData = R.gb(a.tables.reduce(0) { $0 + $1.cost.itemGB })
        errors = a.tables.reduce(0) { $0 + $1.issues.filter { $0.severity == .error }.count }
        warnings = a.tables.reduce(0) { $0 + $1.issues.filter { $0.severity == .warning }.count }
        importCost = R.money(total.importCost)
        onDemandCost = R.money(total.onDemandCost)
        importPrice = R.price(a.prices.importPerGB)
        writePrice = R.price(a.prices.writeRequestsPerMillion)
        storagePrice = R.price(a.prices.storagePerGBMonth)
        tables = a.tables.map(Self.table)
    }

    private static func table(_ t: TableAssessment) -> Table {
        typealias R = AssessmentReport
        let d = t.design
        let severity = t.issues.contains { $0.severity == .error } ? "error" : t.issues.contains { $0.severity == .warning } ? "warning" : "info"
        let sizes = t.scanned
            ? "\(t.rowsRead) rows read, \(t.rowsSkipped) skipped, \(t.rowsFailing) would stop the migration (fail policy), \(t.itemSizes.count) items; average item \(Int(t.itemSizes.average)) B, largest \(R.bytes(t.itemSizes.max))."
            : "Estimated \(t.estimatedRows ?? t.estimatedPartitions ?? 0) rows from Statistics.db; \(R.bytes(Int(t.dataBytes))) of uncompressed data in \(t.sstables) SSTables."
        let peak = max(1, t.itemSizes.buckets.map(\.count).max() ?? 1, t.partitionSizes.buckets.map(\.count).max() ?? 1)
        let histogram: [Bucket] = !t.scanned ? [] : t.itemSizes.buckets.enumerated().map { i, b in
            let p = t.partitionSizes.buckets[i].count
            return Bucket(upTo: R.bytes(b.upTo), items: b.count, itemWidth: b.count * 200 / peak, partitions: p, partitionWidth: p * 200 / peak)
        }
        return Table(
            source: t.source, table: d.table, partitionKey: R.keyText(d.partitionKey), sortKey: R.keyText(d.sortKey),
            items: "\(t.cost.items)\(t.scanned ? "" : " (est.)")", severity: severity,
            importCost: R.money(t.cost.importCost), onDemandCost: R.money(t.cost.onDemandCost), storageCost: R.money(t.cost.storageMonthlyCost),
            importGB: R.gb(t.cost.importGB), indexCount: d.indexes.count, issueCount: t.issues.filter { $0.severity != .info }.count,
            writeUnits: t.cost.writeRequestUnits, descending: !d.scanIndexForward, billingMode: d.billingMode,
            ttl: d.ttl.map { "\($0.attribute)\($0.enabled ? " (UpdateTimeToLive planned)" : "")" } ?? "none",
            statics: d.statics.rawValue, formats: "\(d.timestampFormat.rawValue) / \(d.setFormat.rawValue)",
            hasIndexes: !d.indexes.isEmpty,
            indexes: d.indexes.map { Index(name: $0.name, partitionKey: R.keyText($0.partitionKey), sortKey: R.keyText($0.sortKey), projection: "\($0.projection)", source: $0.source) },
            attributes: d.attributes.map { Attribute(column: $0.column, cqlType: $0.cqlType, attribute: $0.attribute, dynamoType: $0.type?.rawValue ?? "—", included: $0.include) },
            hasNotes: !d.notes.isEmpty, notes: d.notes,
            hasIssues: !t.issues.isEmpty,
            noIssues: "None found\(t.scanned ? " in \(t.rowsRead) rows" : " in the schema (run with --scan to check every row)").",
            issues: t.issues.map { Issue(severity: $0.severity.rawValue, explanation: $0.explanation, policy: $0.policy, rows: $0.rows, samples: $0.samples) },
            sizes: sizes, hasHistogram: !histogram.isEmpty, histogram: histogram,
            hasWarnings: !t.warnings.isEmpty, warnings: t.warnings, cql: t.cql)
    }
}
