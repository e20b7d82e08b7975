import Testing
@testable import CQL

@Suite struct MarshalTypeParserTests {
    @Test func parsesNestedTypes() throws {
        let t = try MarshalTypeParser.parse("org.apache.cassandra.db.marshal.MapType(org.apache.cassandra.db.marshal.UTF8Type,org.apache.cassandra.db.marshal.FrozenType(org.apache.cassandra.db.marshal.ListType(org.apache.cassandra.db.marshal.Int32Type)))")
        #expect(t == .map(.text, .list(.int, frozen: true), frozen: false))
        #expect(try MarshalTypeParser.parse("org.apache.cassandra.db.marshal.ReversedType(org.apache.cassandra.db.marshal.TimeUUIDType)") == .reversed(.timeuuid))
    }
    @Test func parsesUserType() throws {
        let t = try MarshalTypeParser.parse("org.apache.cassandra.db.marshal.FrozenType(org.apache.cassandra.db.marshal.UserType(ks,61646472,737472656574:org.apache.cassandra.db.marshal.UTF8Type,7a6970:org.apache.cassandra.db.marshal.Int32Type))")
        #expect(t == .udt(UserType(keyspace: "ks", name: "addr", fieldNames: ["street", "zip"], fieldTypes: [.text, .int]), frozen: true))
    }
    @Test func rejectsGarbage() {
        #expect(throws: CQLSchemaError.self) { try MarshalTypeParser.parse("MapType(UTF8Type") }
        #expect(throws: CQLSchemaError.self) { try MarshalTypeParser.parse("") }
    }
}
