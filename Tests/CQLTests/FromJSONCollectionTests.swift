import JSONCoding
import Testing
@testable import CQL

/// JSON → frozen collections, tuples, UDTs and partition keys, against bytes built by hand.
@Suite struct FromJSONCollectionTests {
    typealias B = TestBytes
    static let addr = UserType(keyspace: "ks", name: "addr", fieldNames: ["street", "Zip"], fieldTypes: [.text, .int])

    func bytes(_ type: CQLType, _ json: String) throws -> [UInt8] {
        try type.serialized(fromJSON: JSONValue.parse(json))
    }

    func refusal(_ type: CQLType, _ json: String) throws -> String? {
        let value = try JSONValue.parse(json)
        return errorMessage { () throws(CQLValueError) in try type.serialized(fromJSON: value) }
    }

    @Test func listsKeepOrder() throws {
        #expect(try bytes(.list(.int, frozen: true), "[2, 1, 2]") == B.collection([B.int32(2), B.int32(1), B.int32(2)]))
        #expect(try bytes(.list(.int, frozen: false), "[]") == B.collection([]))
        #expect(try bytes(.list(.int, frozen: true), "\"[1, 2]\"") == B.collection([B.int32(1), B.int32(2)]))
        #expect(try bytes(.list(.list(.text, frozen: true), frozen: true), #"[["a"], []]"#)
            == B.collection([B.collection([B.text("a")]), B.collection([])]))
        #expect(try refusal(.list(.int, frozen: true), "[1, null]") == "list element 2: null is not allowed for int")
        #expect(try refusal(.list(.int, frozen: true), "[1, \"x\"]") == "list element 2: expected an int (32-bit) but got \"x\" (not an integer)")
        #expect(try refusal(.list(.int, frozen: true), "{}") == "expected a frozen<list<int>> (a JSON array) but got {}")
        #expect(try refusal(.list(.int, frozen: true), "\"[1,\"")?.hasPrefix("in the string given for frozen<list<int>>: invalid JSON at character 4") == true)
    }

    @Test func setsAreSortedAndDeduplicated() throws {
        #expect(try bytes(.set(.int, frozen: true), "[3, -1, 3, 2]") == B.collection([B.int32(-1), B.int32(2), B.int32(3)]))
        #expect(try bytes(.set(.text, frozen: true), #"["b", "a", "é", "ab"]"#) == B.collection([B.text("a"), B.text("ab"), B.text("b"), B.text("é")]))
        // 1.0 and 1.00 are equal decimals: the first stays.
        #expect(try bytes(.set(.decimal, frozen: true), #"[2, 1.0, 1.00]"#) == B.collection([B.hex("00000001 0a"), B.hex("00000000 02")]))
        #expect(try bytes(.set(.varint, frozen: true), "[128, -1, 0]") == B.collection([[0xFF], [0x00], [0x00, 0x80]]))
        #expect(try refusal(.set(.int, frozen: true), "[null]") == "set element 1: null is not allowed for int")
    }

    @Test func mapsReadKeysFromTheirText() throws {
        #expect(try bytes(.map(.text, .int, frozen: true), #"{"b": 2, "a": 1}"#) == B.map([B.text("a"), B.int32(1), B.text("b"), B.int32(2)]))
        #expect(try bytes(.map(.int, .text, frozen: true), #"{"10": "x", "-1": "y"}"#) == B.map([B.int32(-1), B.text("y"), B.int32(10), B.text("x")]))
        #expect(try bytes(.map(.list(.int, frozen: true), .int, frozen: true), #"{"[1, 2]": 3}"#)
            == B.map([B.collection([B.int32(1), B.int32(2)]), B.int32(3)]))
        #expect(try bytes(.map(.boolean, .boolean, frozen: true), #"{"true": false}"#) == B.map([[1], [0]]))
        #expect(try bytes(.map(.udt(Self.addr, frozen: true), .int, frozen: true), #"{"{\"street\": \"s\", \"\\\"Zip\\\"\": 7}": 1}"#)
            == B.map([B.fields([B.text("s"), B.int32(7)]), B.int32(1)]))
        // Equal keys: the first key stays, with the last value.
        #expect(try bytes(.map(.int, .text, frozen: true), #"{"1": "a", "01": "b"}"#) == B.map([B.int32(1), B.text("b")]))
        #expect(try refusal(.map(.int, .text, frozen: true), #"{"x": "a"}"#) == "map key \"x\": expected an int (32-bit) but got \"x\" (not an integer)")
        #expect(try refusal(.map(.int, .text, frozen: true), #"{"1": null}"#) == "map value for key \"1\": null is not allowed for text")
        #expect(try refusal(.map(.int, .text, frozen: true), "[1]") == "expected a frozen<map<int, text>> (a JSON object) but got [1]")
    }

    @Test func tuplesTakeNulls() throws {
        let type = CQLType.tuple([.int, .text, .boolean])
        #expect(try bytes(type, #"[1, "a", true]"#) == B.fields([B.int32(1), B.text("a"), [1]]))
        #expect(try bytes(type, #"[null, "a", null]"#) == B.fields([nil, B.text("a"), nil]))
        #expect(try bytes(type, #"" [1, null, false] ""#) == B.fields([B.int32(1), nil, [0]]))
        #expect(try refusal(type, "[1, \"a\"]") == "expected a tuple<int, text, boolean> (a JSON array of 3 items) but got [1,\"a\"] (2 items for 3 fields)")
        #expect(try refusal(type, "[1, 2, true]") == "tuple item 2: expected a text string but got 2")
    }

    @Test func udtsByFieldName() throws {
        let type = CQLType.udt(Self.addr, frozen: true)
        #expect(try bytes(type, #"{"street": "Main St", "\"Zip\"": 12345}"#) == B.fields([B.text("Main St"), B.int32(12345)]))
        #expect(try bytes(type, #"{"\"Zip\"": 1}"#) == B.fields([nil, B.int32(1)]))
        #expect(try bytes(type, #"{"STREET": "x", "\"Zip\"": null}"#) == B.fields([B.text("x"), nil]))
        #expect(try bytes(type, "{}") == B.fields([nil, nil]))
        #expect(try refusal(type, #"{"zip": 1}"#) == "unknown field \"zip\" in a value of frozen<addr> (its fields: street, \"Zip\")")
        #expect(try refusal(type, #"{"street": 1}"#) == "field street: expected a text string but got 1")
    }

    @Test func compositesAndReversed() throws {
        #expect(try bytes(.composite([.int, .text]), #"[1, "ab"]"#) == B.hex("0004 00000001 00 0002 6162 00"))
        #expect(try bytes(.reversed(.list(.int, frozen: true)), "[1]") == B.collection([B.int32(1)]))
    }

    static let table = TableSchema(
        keyspace: "ks", name: "t",
        partitionKey: [ColumnSchema(name: "id", type: .int, kind: .partitionKey), ColumnSchema(name: "Region", type: .text, kind: .partitionKey)],
        clustering: [ColumnSchema(name: "c", type: .int, kind: .clustering)])

    @Test func compositePartitionKey() throws {
        let expected = B.hex("0004 00000001 00 0002 6575 00")
        #expect(try Self.table.partitionKey(fromJSON: #"{"id": 1, "\"Region\"": "eu"}"#) == expected)
        #expect(try Self.table.partitionKey(fromJSON: #"{"\"Region\"": "eu", "ID": "1"}"#) == expected)
        // A key as dump prints it.
        var printed: [UInt8] = []
        appendJSONColumnName("id", to: &printed)
        printed.insert(UInt8(ascii: "{"), at: 0)
        printed += Array(":1,".utf8)
        appendJSONColumnName("Region", to: &printed)
        printed += Array(":\"eu\"}".utf8)
        #expect(try Self.table.partitionKey(fromJSON: String(decoding: printed, as: UTF8.self)) == expected)
        // An empty component is allowed in a composite.
        #expect(try Self.table.partitionKey(fromJSON: #"{"id": 1, "\"Region\"": ""}"#) == B.hex("0004 00000001 00 0000 00"))
    }

    @Test func partitionKeyRefusals() {
        func message(_ text: String) -> String? {
            errorMessage { () throws(CQLValueError) in try Self.table.partitionKey(fromJSON: text) }
        }
        #expect(message(#"{"id": 1, "Region": "eu"}"#)
            == #""Region" is not a partition key column; the partition key is (id, "Region"); a name with capitals goes in double quotes: "\"Region\"""#)
        #expect(message(#"{"id": 1, "\"Region\"": "eu", "c": 1}"#) == "\"c\" is not a partition key column; the partition key is (id, \"Region\")")
        #expect(message(#"{"id": 1}"#) == "partition key column \"Region\" is missing; the partition key is (id, \"Region\")")
        #expect(message(#"{"id": 1, "ID": 2, "\"Region\"": "eu"}"#) == "column id is given more than once")
        #expect(message(#"{"id": "x", "\"Region\"": "eu"}"#) == "column id: expected an int (32-bit) but got \"x\" (not an integer)")
        #expect(message(#"{"id": null, "\"Region\"": "eu"}"#) == "column id: null is not allowed for int")
        #expect(message("[1]") == "the key must be a JSON object of the partition key columns (id, \"Region\")")
        #expect(message("{") == "invalid JSON at character 2 (the end): expected an object key (a string in double quotes) but found end of text")
    }

    @Test func singleColumnKey() throws {
        let table = TableSchema(keyspace: "ks", name: "t", partitionKey: [ColumnSchema(name: "k", type: .text, kind: .partitionKey)])
        #expect(try table.partitionKey(fromJSON: #"{"k": "abc"}"#) == B.text("abc"))
        #expect(errorMessage { () throws(CQLValueError) in try table.partitionKey(fromJSON: #"{"k": ""}"#) } == "the partition key may not be empty")
        let long = String(repeating: "a", count: 65_536)
        #expect(errorMessage { () throws(CQLValueError) in try table.partitionKey(fromJSON: "{\"k\": \"\(long)\"}") }
            == "the partition key is 65536 bytes; at most 65535 fit")
    }
}
