import Foundation
import TestSupport
import Testing

@testable import DynamoMapping

/// A mapping file that does not decode is reported where it is wrong and with what is allowed,
/// never as a Swift DecodingError dump.
@Suite struct MappingErrorTests {
    static let golden = TestPaths.packageRoot.appendingPathComponent("Tests/DynamoMappingTests/Golden/shop.users.yaml")

    static func error(_ yaml: String) -> String {
        do { _ = try MappingFile.parse(yaml: yaml); return "no error" } catch { return "\(error)" }
    }

    /// The 1-based number of the first line of `text` that contains `needle`.
    static func lineNumber(_ needle: String, in text: String) throws -> Int {
        try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) }) + 1
    }

    @Test func aWrongPolicyNamesItsLineItsPlaceAndTheAllowedValues() throws {
        let text = try String(contentsOf: Self.golden, encoding: .utf8)
        let big = text.replacingOccurrences(of: "oversized_item: fail", with: "oversized_item: big")
        #expect(Self.error(big)
            == "mapping file, line \(try Self.lineNumber("oversized_item: big", in: big)): tables[0].policies.oversized_item: 'big' is not one of fail, skip, s3")
        let keep = text.replacingOccurrences(of: "unknown_column: fail", with: "unknown_column: keep")
        #expect(Self.error(keep)
            == "mapping file, line \(try Self.lineNumber("unknown_column: keep", in: keep)): tables[0].policies.unknown_column: 'keep' is not one of fail, skip")
    }

    @Test func aMissingKeyAndAWrongKindSayWhere() {
        // The table's mapping starts on line 3; `tables` is on line 2.
        #expect(Self.error("version: 1\ntables:\n- source: ks.t\n  table: t\n") == "mapping file, line 3: tables[0]: the key partition_key is missing")
        let message = Self.error("version: 1\ntables: 7\n")
        #expect(message.hasPrefix("mapping file, line 2: tables: expected") && !message.contains("DecodingError") && !message.contains("CodingKeys"), "\(message)")
    }

    @Test func aYAMLSyntaxErrorIsOneLineNamingLineAndColumn() {
        #expect(Self.error("version: 1\ntables:\n  - source: ks.t\n   table: [t\n")
            == "mapping file: not valid YAML at line 4, column 4: did not find expected '-' indicator (while parsing a block collection at line 3, column 3)")
    }
}
