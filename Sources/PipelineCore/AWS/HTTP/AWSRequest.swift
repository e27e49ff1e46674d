import Foundation

/// One call to an AWS service, before endpoint and signature are added.
public struct AWSRequest: Sendable {
    /// The operation's name, for errors and logs: `GetObject`, `PutEvents`.
    public var operation: String
    /// `GET`, `PUT`, `POST`, `HEAD`.
    public var method: String
    /// The path after the endpoint's base path, already percent-encoded, starting with `/`.
    public var path: String
    /// Query parameters, decoded.
    public var query: [(name: String, value: String)]
    /// Headers to send and sign besides `host` and the `x-amz-*` ones the signer adds.
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: Data

    /// Creates a request.
    public init(
        operation: String, method: String, path: String = "/", query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: Data = Data()
    ) {
        self.operation = operation
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
}

/// A service's answer with a 2xx status.
public struct AWSResponse: Sendable {
    /// The HTTP status.
    public var status: Int
    /// The headers, names as sent.
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: Data

    /// The first value of a header, any case.
    public func header(_ name: String) -> String? {
        let name = name.lowercased()
        return headers.first { $0.name.lowercased() == name }?.value
    }
}
