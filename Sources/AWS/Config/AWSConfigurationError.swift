/// A problem resolving credentials, region or endpoint. Never carries secrets.
public struct AWSConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in one sentence.
    public var message: String

    /// Creates an error with a message.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
