import Testing
@testable import CQL

@Suite struct JSONCollectionTests {
    typealias B = TestBytes
    static let addr = UserType(keyspace: "ks", name: "addr", fieldNames: ["street", "Zip"], fieldTypes: [.text, .int])

    @Test func listsAndSets() throws {
        let list = B.collection([B.int32(1), B.int32(2), nil])
        #expect(try CQLType.list(.int, frozen: true).json(list) == "[1,2,null]")
        #expect(try CQLType.set(.text, frozen: true).json(B.collection([B.text("a"), B.text("b\"")])) == "[\"a\",\"b\\\"\"]")
        #expect(try CQLType.list(.int, frozen: true).json(B.collection([])) == "[]")
        #expect(try CQLType.list(.int, frozen: true).json([]) == "null")
        #expect(try CQLType.list(.int, frozen: true).json(B.collection([[]])) == "[\"\"]")
        let nested = B.collection([B.collection([B.int32(1)]), B.collection([])])
        #expect(try CQLType.list(.list(.int, frozen: true), frozen: true).json(nested) == "[[1],[]]")
    }

    @Test func mapKeysAreStringsAsCassandraMakesThem() throws {
        let textKey = B.map([B.text("a"), B.int32(1)])
        #expect(try CQLType.map(.text, .int, frozen: true).json(textKey) == "{\"a\":1}")
        let intKey = B.int32(2) + B.fields([B.int32(1), B.text("x"), B.int32(-5), nil])
        #expect(try CQLType.map(.int, .text, frozen: true).json(intKey) == "{\"1\":\"x\",\"-5\":null}")
        // Non-string keys are their JSON text in Cassandra's spacing, escaped into a string.
        let listKey = B.map([B.collection([B.int32(1), B.int32(2)]), B.int32(3)])
        #expect(try CQLType.map(.list(.int, frozen: true), .int, frozen: true).json(listKey) == "{\"[1, 2]\":3}")
        let textListKey = B.map([B.collection([B.text("a")]), B.int32(1)])
        #expect(try CQLType.map(.list(.text, frozen: true), .int, frozen: true).json(textListKey) == "{\"[\\\"a\\\"]\":1}")
        let uuidKey = B.map([B.hex("550e8400e29b41d4a716446655440000"), B.text("v")])
        #expect(try CQLType.map(.uuid, .text, frozen: true).json(uuidKey) == "{\"550e8400-e29b-41d4-a716-446655440000\":\"v\"}")
        let boolKey = B.map([[1], [0]])
        #expect(try CQLType.map(.boolean, .boolean, frozen: true).json(boolKey) == "{\"true\":false}")
        let udtKey = B.map([B.fields([B.text("s"), B.int32(7)]), B.int32(1)])
        #expect(try CQLType.map(.udt(Self.addr, frozen: true), .int, frozen: true).json(udtKey)
            == "{\"{\\\"street\\\": \\\"s\\\", \\\"\\\\\\\"Zip\\\\\\\"\\\": 7}\":1}")
        #expect(throws: CQLValueError.self) { try CQLType.map(.int, .int, frozen: true).json(B.map([nil, B.int32(1)])) }
    }

    @Test func tuplesEndEarlyWithNulls() throws {
        let type = CQLType.tuple([.int, .text, .boolean])
        #expect(try type.json(B.fields([B.int32(1), B.text("a"), [1]])) == "[1,\"a\",true]")
        #expect(try type.json(B.fields([B.int32(1)])) == "[1,null,null]")
        #expect(try type.json(B.fields([nil, B.text("a")])) == "[null,\"a\",null]")
        #expect(try type.json([]) == "[null,null,null]")
        #expect(throws: CQLValueError.self) { try type.json(B.fields([B.int32(1), B.text(""), [1], [1]])) }
    }

    @Test func udtsByFieldName() throws {
        let type = CQLType.udt(Self.addr, frozen: true)
        #expect(try type.json(B.fields([B.text("Main St"), B.int32(12345)])) == "{\"street\":\"Main St\",\"\\\"Zip\\\"\":12345}")
        #expect(try type.json(B.fields([B.text("x")])) == "{\"street\":\"x\",\"\\\"Zip\\\"\":null}")
    }

    @Test(arguments: [
        "0000000100000004", // count 1, element length 4, no bytes
        "00000002000000040000000100", // second element truncated
        "7fffffff", // huge count
        "ffffffff", // negative count
        "000000010000000400000001ff", // trailing byte
        "0000000100000003000001", // int element of 3 bytes
    ])
    func rejectsMalformedLists(_ hex: String) {
        #expect(throws: CQLValueError.self) { try CQLType.list(.int, frozen: true).json(B.hex(hex)) }
    }
}
