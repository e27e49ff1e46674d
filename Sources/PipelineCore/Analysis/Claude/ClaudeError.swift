/// Why the Messages API gave no usable analysis.
public struct ClaudeError: Error, CustomStringConvertible {
    /// What kind of failure it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }

        /// The API answered with an error (`error.type` is in the message).
        public static let apiError = Code(name: "apiError")
        /// No answer: connection failure or timeout, after retries.
        public static let unreachable = Code(name: "unreachable")
        /// `stop_reason` was `refusal`.
        public static let refused = Code(name: "refused")
        /// `stop_reason` was `max_tokens`: the tool call was cut off.
        public static let truncated = Code(name: "truncated")
        /// The answer had no tool call, or its input does not match the analysis schema.
        public static let schemaMismatch = Code(name: "schemaMismatch")
        /// The client refused to send an image the API documents it would reject (size, dimensions, bytes not matching the media type).
        public static let imageRejected = Code(name: "imageRejected")
    }

    /// What kind of failure it is.
    public let code: Code
    /// What happened.
    public let message: String
    /// The HTTP status, when an answer came.
    public let status: Int?
    /// The `request-id` header, for support tickets.
    public let requestID: String?
    /// The documented `error.type` of an error answer, such as `invalid_request_error`.
    public let errorType: String?
    /// How long the API asked us to wait (`retry-after`), on a 429 or 529.
    public let retryAfter: Duration?

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, status: Int? = nil, requestID: String? = nil, errorType: String? = nil,
        retryAfter: Duration? = nil
    ) {
        self.code = code
        self.message = message
        self.status = status
        self.requestID = requestID
        self.errorType = errorType
        self.retryAfter = retryAfter
    }

    public var description: String {
        var text = "Claude \(code): \(message)"
        if let status { text += " (HTTP \(status))" }
        if let requestID { text += " [request id \(requestID)]" }
        return text
    }
}
