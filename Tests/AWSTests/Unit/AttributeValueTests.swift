@testable import AWS
import DynamoModel
import Foundation
import Testing

@Suite struct AttributeValueTests {
    @Test func encodesEveryTypeAsDynamoDBJSON() throws {
        let item: DynamoItem = [
            "s": .s("a\"b\\c\n\u{01}é"), "n": .n("-1.5E+3"), "b": .b([0xDE, 0xAD, 0xBE, 0xEF]), "t": .bool(true), "f": .bool(false),
            "z": .null, "m": .m(["x": .s("")]), "l": .l([.n("1"), .null]), "ss": .ss(["a", "b"]), "ns": .ns(["1", "2.5"]),
            "bs": .bs([[1, 2], []]),
        ]
        var out: [UInt8] = []
        AttributeValue.writeItem(item, into: &out, sortedKeys: true)
        let expected = #"{"b":{"B":"3q2+7w=="},"bs":{"BS":["AQI=",""]},"f":{"BOOL":false},"l":{"L":[{"N":"1"},{"NULL":true}]},"#
            + #""m":{"M":{"x":{"S":""}}},"n":{"N":"-1.5E+3"},"ns":{"NS":["1","2.5"]},"s":{"S":"a\"b\\c\n\u0001é"},"#
            + #""ss":{"SS":["a","b"]},"t":{"BOOL":true},"z":{"NULL":true}}"#
        #expect(String(decoding: out, as: UTF8.self) == expected)
        // Foundation's parser agrees that it is valid JSON.
        #expect((try? JSONSerialization.jsonObject(with: Data(out))) != nil)
        // And it decodes back to the same item.
        #expect(try AttributeValue.decodeItem(jsonBytes: out) == item)
    }

    @Test func decodesEscapesAndSurrogates() throws {
        let value = try AttributeValue(jsonBytes: Array(#"{"S":"\u00e9\ud83d\ude00\/\t"}"#.utf8))
        #expect(value == .s("é😀/\t"))
    }

    @Test(arguments: [
        #"{"S":1}"#, #"{"N":1}"#, #"{"B":"@@"}"#, #"{"NULL":false}"#, #"{"SS":[]}"#, #"{"X":"a"}"#, #"{"S":"a","N":"1"}"#, #"[1]"#,
        #"{"S":"a"} x"#, #"{"S":"a}"#,
    ])
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: AttributeValueDecodingError.self) { try AttributeValue(jsonBytes: Array(text.utf8)) }
    }
}
