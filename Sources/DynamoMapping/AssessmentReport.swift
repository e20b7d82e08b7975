import Foundation

/// Renders an `Assessment` as `report.json`, `report.md` and a self-contained `report.html`
/// (AssessmentReport+HTML.swift).
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
}
