import Testing
@testable import CQL
import JSONCoding

/// The message of the `CQLValueError` `body` throws, or nil when it returns.
func errorMessage<T>(_ body: () throws(CQLValueError) -> T) -> String? {
    do {
        _ = try body()
        return nil
    } catch {
        return error.message
    }
}

/// The sentence `JSONValue.parse` throws for `text`, or nil when it parses.
func syntaxError(_ text: String) -> String? {
    do { _ = try JSONValue.parse(text); return nil } catch { return error.description }
}

/// The sentence `JSONValue.parse` throws for UTF-8 `bytes`, or nil when they parse.
func syntaxError(_ bytes: [UInt8]) -> String? {
    do { _ = try JSONValue.parse(bytes); return nil } catch { return error.description }
}

@Suite struct JSONValueTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue.parse(#" { "a" : [1, -0.5e+3, true, false, null], "b": {}, "c": [], "a": "x" } "#)
        #expect(value == .object([
            JSONMember("a", .array([.number("1"), .number("-0.5e+3"), .bool(true), .bool(false), .null])),
            JSONMember("b", .object([])), JSONMember("c", .array([])), JSONMember("a", .string("x")),
        ]))
        #expect(try JSONValue.parse("12") == .number("12"))
        #expect(try JSONValue.parse("\t\"s\"\r\n") == .string("s"))
    }

    @Test func numbersKeepTheirText() throws {
        for text in ["0", "-0", "123456789012345678901234567890", "1.50", "1E400", "-2.5e-7", "0.000"] {
            #expect(try JSONValue.parse(text) == .number(text))
        }
    }

    @Test func decodesEscapes() throws {
        #expect(try JSONValue.parse(#""a\"b\\c\/d\b\f\n\r\t\u00e9\u20AC\ud83d\ude00""#) == .string("a\"b\\c/d\u{8}\u{c}\n\r\té€😀"))
        #expect(try JSONValue.parse("\"é😀\"") == .string("é😀"))
        #expect(try JSONValue.parse(#""\u0000""#) == .string("\u{0}"))
    }

    @Test(arguments: [
        ("", "invalid JSON at character 1 (the end): expected a value but the text ended"),
        ("{\"a\": 1,}", "invalid JSON at character 9: expected an object key (a string in double quotes) but found '}'"),
        ("[1 2]", "invalid JSON at character 4: expected ',' or ']' in an array but found '2'"),
        ("{\"a\" 1}", "invalid JSON at character 6: expected ':' after an object key but found '1'"),
        ("01", "invalid JSON at character 2: a number may not have leading zeros"),
        ("1.", "invalid JSON at character 3 (the end): expected a digit after the decimal point but found end of text"),
        ("-", "invalid JSON at character 2 (the end): expected a digit in a number but found end of text"),
        ("1e", "invalid JSON at character 3 (the end): expected a digit in the exponent but found end of text"),
        ("NaN", "invalid JSON at character 1: expected a value but found 'N'"),
        ("tru", "invalid JSON at character 1: expected a value but found 't'"),
        ("\"é\" x", "invalid JSON at character 5: unexpected 'x' after the JSON value"),
        ("\"abc", "invalid JSON at character 5 (the end): a string is not closed (missing '\"')"),
        ("\"a\nb\"", "invalid JSON at character 3: control character U+000A must be escaped inside a string"),
        (#""\x""#, "invalid JSON at character 3: 'x' is not a JSON escape (after '\\' come \" \\ / b f n r t or u and 4 hex digits)"),
        (#""\u12g4""#, "invalid JSON at character 6: expected 4 hex digits after \\u but found 'g'"),
        (#""\ud83d""#, "invalid JSON at character 8: \\ud83d (a high surrogate) must be followed by a \\u escape of a low surrogate"),
        (#""\ude00""#, "invalid JSON at character 8: \\ude00 is a low surrogate without a high surrogate before it"),
        ("[1,]", "invalid JSON at character 4: expected a value but found ']'"),
        ("{'a': 1}", "invalid JSON at character 2: expected an object key (a string in double quotes) but found '''"),
    ])
    func refusesWithPlace(_ text: String, _ message: String) {
        #expect(syntaxError(text) == message)
        // The same sentence from bytes, and from CQL's readers.
        #expect(syntaxError(Array(text.utf8)) == message)
        #expect(errorMessage { () throws(CQLValueError) in try JSONValue.parseForCQL(text) } == message)
    }

    @Test func limitsNesting() throws {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(syntaxError(deep)?.contains("nested deeper than 256 levels") == true)
        let fine = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        #expect(throws: Never.self) { try JSONValue.parse(fine) }
    }

    @Test func describesCompactly() throws {
        let text = #"{"k":[1,"a\"b",null,true,{"x":-1.5E3}]}"#
        #expect(try JSONValue.parse(text).description == text)
    }

    /// Random text over JSON's alphabet, and mutations of valid JSON: parsing returns or throws,
    /// and whatever parses prints as JSON that parses to the same value; typed reads never trap.
    @Test func randomTextNeverTraps() throws {
        var rng = JSONFuzzTests.Rng(state: 0x5DEE_CE66_D1CE_4E5B)
        let alphabet = Array(#"{}[]:,"\ -+.0123456789eEtrufalsn/bfnrtu"#.unicodeScalars) + ["é", "😀", "\u{1}", "\n", "x", "A", "d"]
        let seeds = [#"{"a": [1, 2.5e-3, "x\u00e9"], "b": {"c": null}}"#, #"[true, false, "0x00", -0, "2021-03-04"]"#]
        let types: [CQLType] = [
            .int, .varint, .decimal, .double, .timestamp, .duration, .inet, .list(.int, frozen: true),
            .map(.list(.int, frozen: true), .text, frozen: true), .tuple([.int, .text]),
            .udt(JSONFuzzTests.udt, frozen: true), .set(.decimal, frozen: true),
        ]
        var parsed = 0
        for round in 0..<20_000 {
            var scalars: [Unicode.Scalar]
            if round % 2 == 0 {
                scalars = (0..<Int.random(in: 0...30, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            } else {
                scalars = Array(seeds[round / 2 % 2].unicodeScalars)
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    let i = Int.random(in: 0..<scalars.count, using: &rng)
                    if Bool.random(using: &rng) { scalars[i] = alphabet.randomElement(using: &rng)! } else { scalars.remove(at: i) }
                }
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            guard let value = try? JSONValue.parse(text) else { continue }
            parsed += 1
            #expect(try JSONValue.parse(value.description) == value)
            for type in types { _ = try? type.serialized(fromJSON: value) }
        }
        #expect(parsed > 1000)
    }
}
