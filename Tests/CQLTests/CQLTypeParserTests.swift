import Testing
@testable import CQL

@Suite struct CQLTypeParserTests {
    static let addr = UserType(keyspace: "ks", name: "addr", fieldNames: ["street"], fieldTypes: [.text])
    static let types = ["addr": addr, "ks.addr": addr, "MyType": UserType(keyspace: "ks", name: "MyType", fieldNames: [], fieldTypes: [])]

    @Test(arguments: [
        ("int", CQLType.int, "int"), ("VARCHAR", .text, "text"), ("Text", .text, "text"),
        ("list<int>", .list(.int, frozen: false), "list<int>"),
        ("frozen<list<int>>", .list(.int, frozen: true), "frozen<list<int>>"),
        ("frozen<map<text, frozen<list<int>>>>", .map(.text, .list(.int, frozen: true), frozen: true), "frozen<map<text, frozen<list<int>>>>"),
        ("map<text,frozen<set<uuid>>>", .map(.text, .set(.uuid, frozen: true), frozen: false), "map<text, frozen<set<uuid>>>"),
        ("tuple<int,text>", .tuple([.int, .text]), "tuple<int, text>"),
        ("frozen<tuple<int, tuple<text, blob>>>", .tuple([.int, .tuple([.text, .blob])]), "tuple<int, tuple<text, blob>>"),
        ("addr", .udt(addr, frozen: false), "addr"), ("frozen<addr>", .udt(addr, frozen: true), "frozen<addr>"),
        ("FROZEN < ks.addr >", .udt(addr, frozen: true), "frozen<addr>"),
        ("list<frozen<addr>>", .list(.udt(addr, frozen: true), frozen: false), "list<frozen<addr>>"),
        ("\"MyType\"", .udt(types["MyType"]!, frozen: false), "\"MyType\""),
        ("'org.apache.cassandra.db.marshal.Int32Type'", .int, "int"),
        ("'com.example.Thing'", .custom("com.example.Thing"), "'com.example.Thing'"),
    ])
    func parses(_ text: String, _ expected: CQLType, _ name: String) throws {
        let type = try CQLTypeParser.parse(cql: text, userTypes: Self.types)
        #expect(type == expected)
        #expect(type.cqlName == name)
        #expect(try CQLTypeParser.parse(cql: type.cqlName, userTypes: Self.types) == type)
    }

    @Test(arguments: [
        ("list<int", "line 1, column 9: expected '>', found end of input"),
        ("map<int>", "line 1, column 8: expected ',', found '>'"),
        ("nosuch", "line 1, column 1: unknown type 'nosuch'"),
        ("int int", "line 1, column 5: unexpected text after the type, found 'int'"),
        ("frozen<", "line 1, column 8: expected a type, found end of input"),
    ])
    func locatesErrors(_ text: String, _ message: String) {
        #expect { try CQLTypeParser.parse(cql: text, userTypes: Self.types) } throws: { ($0 as? CQLSchemaError)?.message == message }
    }
}
