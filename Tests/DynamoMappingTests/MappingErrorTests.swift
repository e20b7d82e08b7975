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

    @Test func aWrongPolicyNamesItsPlaceAndTheAllowedValues() throws {
        let text = try String(contentsOf: Self.golden, encoding: .utf8)
        #expect(Self.error(text.replacingOccurrences(of: "oversized_item: fail", with: "oversized_item: big"))
            == "mapping file: tables[0].policies.oversized_item: 'big' is not one of fail, skip, s3")
        #expect(Self.error(text.replacingOccurrences(of: "unknown_column: fail", with: "unknown_column: keep"))
            == "mapping file: tables[0].policies.unknown_column: 'keep' is not one of fail, skip")
    }

    @Test func aMissingKeyAndAWrongKindSayWhere() {
        #expect(Self.error("version: 1\ntables:\n- source: ks.t\n  table: t\n") == "mapping file: tables[0]: the key partition_key is missing")
        let message = Self.error("version: 1\ntables: 7\n")
        #expect(message.hasPrefix("mapping file: tables: expected") && !message.contains("DecodingError") && !message.contains("CodingKeys"), "\(message)")
    }

    @Test func aYAMLSyntaxErrorIsOneLineNamingLineAndColumn() {
        #expect(Self.error("version: 1\ntables:\n  - source: ks.t\n   table: [t\n")
            == "mapping file: not valid YAML at line 4, column 4: did not find expected '-' indicator (while parsing a block collection at line 3, column 3)")
    }
}
