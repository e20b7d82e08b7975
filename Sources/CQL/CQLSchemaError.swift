/// A schema or type string that cannot be understood: a one-line message saying what and where.
public struct CQLSchemaError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
