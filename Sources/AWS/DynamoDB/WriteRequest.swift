import JSONCoding
import DynamoModel

/// One element of a BatchWriteItem request.
public enum WriteRequest: Sendable, Hashable {
    /// `PutRequest`: write this whole item.
    case put(DynamoItem)
    /// `DeleteRequest`: delete the item with this key.
    case delete(key: DynamoItem)

    /// Appends `{"PutRequest":{"Item":…}}` or `{"DeleteRequest":{"Key":…}}` to `out`.
    public func writeJSON(into out: inout [UInt8]) {
        switch self {
        case .put(let item):
            JSONWriter.writeRaw("{\"PutRequest\":{\"Item\":", into: &out)
            AttributeValue.writeItem(item, into: &out)
        case .delete(let key):
            JSONWriter.writeRaw("{\"DeleteRequest\":{\"Key\":", into: &out)
            AttributeValue.writeItem(key, into: &out)
        }
        JSONWriter.writeRaw("}}", into: &out)
    }

    init(json: JSONValue) throws(AttributeValueDecodingError) {
        if let put = json["PutRequest"]?["Item"] {
            self = .put(try AttributeValue.item(json: put, path: "PutRequest.Item"))
        } else if let key = json["DeleteRequest"]?["Key"] {
            self = .delete(key: try AttributeValue.item(json: key, path: "DeleteRequest.Key"))
        } else {
            throw AttributeValueDecodingError(path: "", reason: "write request without PutRequest or DeleteRequest")
        }
    }
}
