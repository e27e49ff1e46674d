/// Why the Voyage embeddings API gave no usable vectors.
public struct VoyageError: Error, CustomStringConvertible {
    /// What kind of failure it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }

        /// The API answered with an error (its `detail` is in the message).
        public static let apiError = Code(name: "apiError")
        /// No answer: connection failure or timeout, after retries.
        public static let unreachable = Code(name: "unreachable")
        /// A 200 whose body is not the documented shape, or holds the wrong vectors.
        public static let malformedResponse = Code(name: "malformedResponse")
    }

    /// What kind of failure it is.
    public let code: Code
    /// What happened.
    public let message: String
    /// The HTTP status, when an answer came.
    public let status: Int?
    /// How long the API asked us to wait (`retry-after`), on a 429.
    public let retryAfter: Duration?

    /// Creates an error.
    public init(_ code: Code, _ message: String, status: Int? = nil, retryAfter: Duration? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.retryAfter = retryAfter
    }

    public var description: String {
        var text = "Voyage \(code): \(message)"
        if let status { text += " (HTTP \(status))" }
        return text
    }
}
