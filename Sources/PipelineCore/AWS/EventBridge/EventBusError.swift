/// Why events could not be sent.
public struct EventBusError: Error, CustomStringConvertible {
    /// What kind of failure it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }

        /// An entry breaks a PutEvents limit and was not sent.
        public static let invalidEntry = Code(name: "invalidEntry")
        /// EventBridge refused an entry (its `ErrorCode` is in the message).
        public static let entryRejected = Code(name: "entryRejected")
        /// The call itself failed.
        public static let failed = Code(name: "failed")
    }

    /// What kind of failure it is.
    public let code: Code
    /// What happened, naming the entry.
    public let message: String
    /// The transport's error, such as an ``AWSError``.
    public let underlying: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { underlying.map { "\(message): \($0)" } ?? message }
}
