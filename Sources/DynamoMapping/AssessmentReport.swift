import Foundation

/// Renders an `Assessment` as `report.json`, `report.md` and a self-contained `report.html`.
public enum AssessmentReport {
    public static func json(_ a: Assessment) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(a), as: UTF8.self)
    }

    static func money(_ v: Double) -> String { String(format: "$%.2f", v) }
    static func price(_ v: Double) -> String { String(format: "$%.3f", v) }
    static func gb(_ v: Double) -> String { v < 0.01 ? String(format: "%.4f GB", v) : String(format: "%.2f GB", v) }
    static func bytes(_ v: Int) -> String {
        if v == Int.max { return "more" }
        if v >= 1024 * 1024 { return String(format: "%.1f MB", Double(v) / 1_048_576) }
        if v >= 1024 { return "\(v / 1024) KB" }
        return "\(v) B"
    }
    static func keyText(_ k: KeyDesign?) -> String {
        guard let k else { return "—" }
        return "\(k.attribute) (\(k.type.rawValue)" + (k.encoding == .native ? "" : ", \(k.encoding.rawValue) from \(k.columns.joined(separator: ", "))") + ")"
    }

    public static func markdown(_ a: Assessment) -> String {
        var out = "# cass2dynamo migration assessment\n\nSource: `\(a.source)` · generated \(a.generatedAt)\n\n## Summary\n\n"
        out += "| table | DynamoDB table | items | item GB | issues | ImportTable | on-demand writes |\n|---|---|---|---|---|---|---|\n"
        for t in a.tables {
            out += "| \(t.source) | \(t.design.table) | \(t.cost.items)\(t.scanned ? "" : " (est.)") | \(gb(t.cost.itemGB)) | \(t.issues.filter { $0.severity != .info }.count) | \(money(t.cost.importCost)) | \(money(t.cost.onDemandCost)) |\n"
        }
        let total = a.totalCost
        out += "\nTotal: ImportTable \(money(total.importCost)), on-demand writes \(money(total.onDemandCost)).\n"
        out += "Prices (inputs, USD): ImportTable \(price(a.prices.importPerGB))/GB, on-demand \(price(a.prices.writeRequestsPerMillion)) per million WRU, storage \(price(a.prices.storagePerGBMonth))/GB-month.\n"
        for t in a.tables {
            let d = t.design
            out += "\n## \(t.source) → \(d.table)\n\n"
            out += "- Partition key: \(keyText(d.partitionKey))\n- Sort key: \(keyText(d.sortKey))\n- Billing: \(d.billingMode)\n"
            if let ttl = d.ttl { out += "- TTL attribute: \(ttl.attribute)\(ttl.enabled ? " (UpdateTimeToLive planned)" : "")\n" }
            for g in d.indexes { out += "- GSI \(g.name): \(keyText(g.partitionKey)) / \(keyText(g.sortKey)), projection \(g.projection) (\(g.source))\n" }
            for n in d.notes { out += "- \(n)\n" }
            out += "\nRows: \(t.scanned ? "\(t.rowsRead) read, \(t.rowsSkipped) skipped, \(t.rowsFailing) failing" : "≈\(t.estimatedRows ?? t.estimatedPartitions ?? 0) (Statistics.db)"); SSTables: \(t.sstables); data \(bytes(Int(t.dataBytes))).\n"
            if t.scanned {
                out += "\nItem sizes: average \(Int(t.itemSizes.average)) B, max \(bytes(t.itemSizes.max)).\n\n| up to | items | partitions |\n|---|---|---|\n"
                for (i, b) in t.itemSizes.buckets.enumerated() { out += "| \(bytes(b.upTo)) | \(b.count) | \(t.partitionSizes.buckets[i].count) |\n" }
            }
            if !t.issues.isEmpty {
                out += "\n| severity | issue | rows | policy |\n|---|---|---|---|\n"
                for i in t.issues { out += "| \(i.severity.rawValue) | \(i.explanation) | \(i.rows) | \(i.policy) |\n" }
            }
        }
        return out
    }

    static func esc(_ s: String) -> String {
        var o = ""
        for c in s {
            switch c {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            default: o.append(c)
            }
        }
        return o
    }

    public static func html(_ a: Assessment) -> String {
        let total = a.totalCost
        let errors = a.tables.reduce(0) { $0 + $1.issues.filter { $0.severity == .error }.count }
        let warnings = a.tables.reduce(0) { $0 + $1.issues.filter { $0.severity == .warning }.count }
        var h = """
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
            <header><h1>Cassandra → DynamoDB migration assessment</h1><p>Source \(esc(a.source)) · generated \(esc(a.generatedAt)) by cass2dynamo</p></header>
            <main>
            <h2>Summary</h2>
            <div class="cards">
            <div class="card"><b>\(a.tables.count)</b><span>tables</span></div>
            <div class="card"><b>\(a.tables.reduce(0) { $0 + $1.cost.items })</b><span>items</span></div>
            <div class="card"><b>\(gb(a.tables.reduce(0) { $0 + $1.cost.itemGB }))</b><span>item data</span></div>
            <div class="card"><b>\(errors) / \(warnings)</b><span>errors / warnings</span></div>
            <div class="card"><b>\(money(total.importCost))</b><span>load by ImportTable</span></div>
            <div class="card"><b>\(money(total.onDemandCost))</b><span>load by on-demand writes</span></div>
            </div>
            <table><tr><th>Cassandra table</th><th>DynamoDB table</th><th>Partition key</th><th>Sort key</th><th>GSIs</th><th>Items</th><th>Issues</th><th>ImportTable</th><th>On-demand</th></tr>

            """
        for t in a.tables {
            let d = t.design
            let sev = t.issues.contains { $0.severity == .error } ? "error" : t.issues.contains { $0.severity == .warning } ? "warning" : "info"
            h += "<tr><td><a href=\"#\(esc(t.source))\">\(esc(t.source))</a></td><td>\(esc(d.table))</td><td>\(esc(keyText(d.partitionKey)))</td><td>\(esc(keyText(d.sortKey)))</td><td>\(d.indexes.count)</td>"
            h += "<td>\(t.cost.items)\(t.scanned ? "" : " (est.)")</td><td><span class=\"sev \(sev)\">\(t.issues.filter { $0.severity != .info }.count)</span></td><td>\(money(t.cost.importCost))</td><td>\(money(t.cost.onDemandCost))</td></tr>\n"
        }
        h += "</table>\n<p class=\"note\">Prices are inputs (USD, defaults are us-east-1 list prices): ImportTable \(price(a.prices.importPerGB)) per GB of DynamoDB JSON in S3; on-demand \(price(a.prices.writeRequestsPerMillion)) per million write request units (1 KB each, GSIs included); storage \(price(a.prices.storagePerGBMonth)) per GB-month. \"est.\" marks numbers from Statistics.db instead of a full scan.</p>\n"
        for t in a.tables {
            let d = t.design
            h += "<section id=\"\(esc(t.source))\"><h2>\(esc(t.source)) → \(esc(d.table))</h2>\n<table>"
            h += "<tr><th>Partition key (HASH)</th><td>\(esc(keyText(d.partitionKey)))</td></tr><tr><th>Sort key (RANGE)</th><td>\(esc(keyText(d.sortKey)))\(d.scanIndexForward ? "" : " · Query with ScanIndexForward=false")</td></tr>"
            h += "<tr><th>Billing mode</th><td>\(esc(d.billingMode))</td></tr><tr><th>TTL</th><td>\(esc(d.ttl.map { "\($0.attribute)\($0.enabled ? " (UpdateTimeToLive planned)" : "")" } ?? "none"))</td></tr>"
            h += "<tr><th>Statics</th><td>\(d.statics.rawValue)</td></tr><tr><th>Timestamps / sets</th><td>\(d.timestampFormat.rawValue) / \(d.setFormat.rawValue)</td></tr></table>\n"
            if !d.indexes.isEmpty {
                h += "<h3>Proposed GSIs</h3><table><tr><th>Name</th><th>HASH</th><th>RANGE</th><th>Projection</th><th>Replaces</th></tr>"
                for g in d.indexes { h += "<tr><td>\(esc(g.name))</td><td>\(esc(keyText(g.partitionKey)))</td><td>\(esc(keyText(g.sortKey)))</td><td>\(g.projection)</td><td>\(esc(g.source))</td></tr>" }
                h += "</table>\n"
            }
            h += "<h3>Attributes</h3><table><tr><th>Column</th><th>CQL type</th><th>Attribute</th><th>DynamoDB type</th></tr>"
            for at in d.attributes { h += "<tr><td>\(esc(at.column))</td><td><code>\(esc(at.cqlType))</code></td><td>\(at.include ? esc(at.attribute) : "<i>excluded</i>")</td><td>\(at.type?.rawValue ?? "—")</td></tr>" }
            h += "</table>\n"
            if !d.notes.isEmpty { h += "<ul>" + d.notes.map { "<li>\(esc($0))</li>" }.joined() + "</ul>\n" }
            h += "<h3>Conversion issues</h3>"
            if t.issues.isEmpty {
                h += "<p>None found\(t.scanned ? " in \(t.rowsRead) rows" : " in the schema (run with --scan to check every row)").</p>"
            } else {
                h += "<table><tr><th>Severity</th><th>Issue</th><th>Rows</th><th>Policy</th><th>Examples</th></tr>"
                for i in t.issues {
                    h += "<tr><td><span class=\"sev \(i.severity.rawValue)\">\(i.severity.rawValue)</span></td><td>\(esc(i.explanation))</td><td>\(i.rows)</td><td>\(esc(i.policy))</td><td>\(i.samples.map { esc($0) }.joined(separator: "<br>"))</td></tr>"
                }
                h += "</table>"
            }
            h += "<h3>Sizes</h3><p>\(t.scanned ? "\(t.rowsRead) rows read, \(t.rowsSkipped) skipped, \(t.rowsFailing) would stop the migration (fail policy), \(t.itemSizes.count) items; average item \(Int(t.itemSizes.average)) B, largest \(bytes(t.itemSizes.max))." : "Estimated \(t.estimatedRows ?? t.estimatedPartitions ?? 0) rows from Statistics.db; \(bytes(Int(t.dataBytes))) of uncompressed data in \(t.sstables) SSTables.")</p>"
            if t.scanned {
                let peak = max(1, t.itemSizes.buckets.map(\.count).max() ?? 1, t.partitionSizes.buckets.map(\.count).max() ?? 1)
                h += "<table><tr><th>Size up to</th><th>Items</th><th></th><th>Partitions</th><th></th></tr>"
                for (i, b) in t.itemSizes.buckets.enumerated() {
                    let p = t.partitionSizes.buckets[i].count
                    h += "<tr><td>\(bytes(b.upTo))</td><td>\(b.count)</td><td><span class=\"bar\" style=\"width:\(b.count * 200 / peak)px\"></span></td><td>\(p)</td><td><span class=\"bar\" style=\"width:\(p * 200 / peak)px;background:#5a7fa8\"></span></td></tr>"
                }
                h += "</table>"
            }
            h += "<h3>Cost</h3><table><tr><th>ImportTable (\(gb(t.cost.importGB)) JSON)</th><td>\(money(t.cost.importCost))</td></tr><tr><th>On-demand writes (\(t.cost.writeRequestUnits) WRU)</th><td>\(money(t.cost.onDemandCost))</td></tr><tr><th>Storage per month</th><td>\(money(t.cost.storageMonthlyCost))</td></tr></table>"
            if !t.warnings.isEmpty { h += "<ul>" + t.warnings.map { "<li>\(esc($0))</li>" }.joined() + "</ul>" }
            h += "<details><summary>CQL</summary><pre>\(esc(t.cql))</pre></details></section>\n"
        }
        h += "</main></body></html>\n"
        return h
    }
}
