import CQL
import Foundation
import TestSupport
import Testing

@testable import DynamoMapping

/// The HTML report opens in headless Chromium (Debian `chromium`) and renders to a screenshot.
/// Skipped (shown as such) when Chromium is not installed, except in CI, where it fails
/// (`scripts/setup --test` installs it). Set `REPORT_SCREENSHOT=path.png` to keep the image.
@Suite struct ReportScreenshotTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: chromium != nil || TestPaths.isCI, "needs Chromium (Debian's chromium; scripts/setup --test installs it)"))
    func reportRendersInHeadlessChromium() throws {
        let chromium = try #require(Self.chromium, "Chromium is not installed (scripts/setup --test installs Debian's chromium)")
        let cql = try DesignGoldenTests.allSchemas()
        var tables: [TableAssessment] = []
        for table in cql[0].tables.prefix(6) {
            let design = TableDesigner.propose(table, indexes: cql[0].indexes, views: cql[0].views)
            tables.append(try Assessor.assess(schema: table, design: design, reader: nil, scan: false, prices: Prices()))
        }
        let report = Assessment(generatedAt: "2026-01-01T00:00:00Z", source: "Tests/DynamoMappingTests/Golden/schemas.cql", prices: Prices(), tables: tables)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let html = dir.appendingPathComponent("report.html")
        try AssessmentReport.html(report).write(to: html, atomically: true, encoding: .utf8)
        let png = ProcessInfo.processInfo.environment["REPORT_SCREENSHOT"].map { URL(fileURLWithPath: $0) } ?? dir.appendingPathComponent("report.png")
        let result = try runProgramBlocking(chromium, [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(dir.path)/profile",
            "--window-size=1280,1400", "--screenshot=\(png.path)", html.absoluteString,
        ])
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        let bytes = try Data(contentsOf: png)
        #expect(bytes.count > 10_000 && bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }
}
