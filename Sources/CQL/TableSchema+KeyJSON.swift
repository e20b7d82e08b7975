import JSONCoding
extension TableSchema {
    /// The serialized partition key named by a JSON object of the partition key columns, e.g.
    /// `{"id": 42, "\"Region\"": "eu"}`, each value in the `SELECT JSON` encoding. Names follow
    /// `INSERT ... JSON`: a name in double quotes matches exactly, any other is lower-cased (so the
    /// names `dump` prints match). One column: that value's bytes; several: `CompositeType` bytes
    /// (per column uint16 length, the bytes, a 0 byte). Every partition key column must be given,
    /// once, non-null; other names are refused.
    public func partitionKey(fromJSON text: String) throws(CQLValueError) -> [UInt8] {
        guard case .object(let members) = try JSONValue.parseForCQL(text) else {
            throw CQLValueError("the key must be a JSON object of the partition key columns (\(keyColumnList))")
        }
        var given: [String: JSONValue] = [:]
        for member in members {
            let name = CQLIdentifier.fromJSONKey(member.name)
            guard partitionKey.contains(where: { $0.name == name }) else {
                var message = "\(JSONValue.string(member.name)) is not a partition key column; the partition key is (\(keyColumnList))"
                if let column = partitionKey.first(where: { $0.name.lowercased() == name.lowercased() }) {
                    message += "; a name with capitals goes in double quotes: \(JSONValue.string("\"" + column.name + "\""))"
                }
                throw CQLValueError(message)
            }
            guard given.updateValue(member.value, forKey: name) == nil else {
                throw CQLValueError("column \(CQLIdentifier.quoted(name)) is given more than once")
            }
        }
        var components: [[UInt8]] = []
        for column in partitionKey {
            guard let value = given[column.name] else {
                throw CQLValueError("partition key column \(CQLIdentifier.quoted(column.name)) is missing; the partition key is (\(keyColumnList))")
            }
            do {
                components.append(try column.type.serialized(fromJSON: value))
            } catch {
                throw CQLValueError("column \(CQLIdentifier.quoted(column.name)): \(error.message)")
            }
        }
        if components.count == 1 {
            guard !components[0].isEmpty else { throw CQLValueError("the partition key may not be empty") }
            guard components[0].count <= 0xFFFF else { throw CQLValueError("the partition key is \(components[0].count) bytes; at most 65535 fit") }
            return components[0]
        }
        return try CQLType.composite(components)
    }

    /// The partition key columns as CQL writes them: `id, "Region"`.
    private var keyColumnList: String { partitionKey.map { CQLIdentifier.quoted($0.name) }.joined(separator: ", ") }
}
