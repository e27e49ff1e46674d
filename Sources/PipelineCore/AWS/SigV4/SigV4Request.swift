/// A request as SigV4 sees it.
public struct SigV4Request: Sendable {
    /// `GET`, `PUT`, `POST`, ...
    public var method: String
    /// The path as sent on the wire (for S3: the key encoded once with ``SigV4/uriEncode(_:keepSlash:)``).
    public var path: String
    /// Query parameters, decoded.
    public var query: [(name: String, value: String)]
    /// The headers to sign, in the order they are sent.
    public var headers: [(name: String, value: String)]
    /// Hex SHA-256 of the body, or ``SigV4/unsignedPayload``.
    public var payloadHash: String

    /// Creates a request.
    public init(
        method: String, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)], payloadHash: String
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payloadHash = payloadHash
    }
}
