import CQL
import Foundation
import Testing

@testable import DynamoMapping

/// `report.html` (a Mustache template): every text from the schema, the data or the user is
/// HTML-escaped, and each table gets its summary row and its section.
@Suite struct ReportHTMLTests {
    @Test func userTextIsEscapedAndEveryTableHasItsSection() throws {
        let hostile = #"<script>alert("x")</script> & 'q' <img src=x onerror=1>"#
        let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; &lt;img src=x onerror=1&gt;"
        let schema = try DesignGoldenTests.allSchemas()[0]
        var tables: [TableAssessment] = []
        for table in schema.tables.prefix(3) {
            let design = TableDesigner.propose(table, indexes: schema.indexes, views: schema.views)
            var a = try Assessor.assess(schema: table, design: design, reader: nil, scan: false, prices: Prices())
            a.cql += "\n-- " + hostile
            a.warnings.append(hostile)
            a.issues.append(IssueSummary(kind: .unknownColumn, severity: .warning, rows: 2, policy: "skip", explanation: hostile, samples: [hostile, "second"]))
            tables.append(a)
        }
        let report = Assessment(generatedAt: "2026-01-01T00:00:00Z", source: hostile, prices: Prices(), tables: tables)
        let html = AssessmentReport.html(report)
        #expect(!html.contains("<script") && !html.contains("<img") && !html.contains("onerror=1>"))
        // Source (header), and per table the CQL, the warning, the issue and its sample.
        #expect(html.components(separatedBy: escaped).count - 1 == 1 + 4 * tables.count)
        #expect(html.components(separatedBy: "<section id=").count - 1 == tables.count)
        for t in tables {
            #expect(html.contains("<tr><td><a href=\"#\(t.source)\">\(t.source)</a></td><td>\(t.design.table)</td>"), "\(t.source)")
            #expect(html.contains("<section id=\"\(t.source)\"><h2>\(t.source) → \(t.design.table)</h2>"), "\(t.source)")
        }
        #expect(html.contains("<div class=\"card\"><b>\(tables.count)</b><span>tables</span></div>"))
        #expect(html.hasSuffix("</main></body></html>\n"))
    }
}
