import JSONCoding

/// A serialized CQL value that does not fit its type (wrong length, bad count, truncated element).
public struct CQLValueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A short message saying what was wrong.
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

extension JSONValue {
    /// `parse(_:)`, its syntax error as a CQL value error (the same sentence).
    static func parseForCQL(_ text: String) throws(CQLValueError) -> JSONValue {
        do { return try parse(text) } catch { throw CQLValueError(error.description) }
    }
}
