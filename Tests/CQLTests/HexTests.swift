import Foundation
import HexCoding
import Testing

/// The project's one hex encoder: two digits per byte, so different bytes never share a text.
@Suite struct HexTests {
    /// Foundation's `%02x`, an independent reference.
    static func reference(_ bytes: [UInt8], upper: Bool = false) -> String {
        bytes.map { String(format: upper ? "%02X" : "%02x", $0) }.joined()
    }

    @Test func pairsThatUnpaddedHexConfusedStayApart() {
        let pairs: [([UInt8], [UInt8])] = [([0x0a, 0x01], [0xa1]), ([0x01, 0x00], [0x10]), ([0x00], []), ([0x00, 0x0f], [0xf0])]
        for (a, b) in pairs {
            #expect(Hex.encode(a) != Hex.encode(b))
            #expect(Hex.encode(a) == Self.reference(a))
        }
    }

    @Test func everyByteBothCasesWriteAndDecode() throws {
        let all = (0...255).map(UInt8.init)
        #expect(Hex.encode(all) == Self.reference(all))
        #expect(Hex.encode(all, uppercase: true) == Self.reference(all, upper: true))
        var written = [UInt8](repeating: 0, count: 512)
        all.withUnsafeBytes { raw in written.withUnsafeMutableBufferPointer { Hex.write(raw, to: $0.baseAddress!) } }
        #expect(String(decoding: written, as: UTF8.self) == Self.reference(all))
        #expect(Hex.decode(Array(Self.reference(all).utf8)) == all)
        #expect(Hex.decode(Array(Self.reference(all, upper: true).utf8)) == all)
        #expect(Hex.decode(Array("abc".utf8)) == nil)
        #expect(Hex.decode(Array("0g".utf8)) == nil)
        var fixed: [UInt8] = []
        Hex.append(0x1f, digits: 4, to: &fixed)
        #expect(String(decoding: fixed, as: UTF8.self) == "001f")
    }
}
