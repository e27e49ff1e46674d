import Foundation

/// A request to an AWS service that failed: the service's error code and message, the HTTP
/// status and the request id, or the transport failure that kept an answer from arriving.
public struct AWSError: Error, CustomStringConvertible, Sendable {
    /// The service, such as `S3`.
    public let service: String
    /// The operation, such as `GetObject`.
    public let operation: String
    /// The HTTP status; nil when no response arrived.
    public let status: Int?
    /// The service's error code (`NoSuchKey`, `AccessDenied`, `ParameterNotFound`), or
    /// `TransportError` / `ResponseTooLarge` / `MalformedResponse` for failures of our own.
    public let code: String
    /// The service's message.
    public let message: String
    /// `x-amz-request-id` / `x-amzn-RequestId`, for AWS support.
    public let requestID: String?

    /// Creates an error.
    public init(service: String, operation: String, status: Int?, code: String, message: String, requestID: String?) {
        self.service = service
        self.operation = operation
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    /// True for answers worth trying again: throttling, 5xx and transport failures.
    public var isRetryable: Bool {
        if status == nil { return code == "TransportError" }
        if let status, status >= 500 { return true }
        // Bedrock Runtime adds ModelNotReadyException (429) and ModelTimeoutException (408)
        // (API_runtime_InvokeModel.html, read 2026-12-04).
        return [
            "Throttling", "ThrottlingException", "SlowDown", "RequestLimitExceeded", "TooManyRequestsException",
            "ModelNotReadyException", "ModelTimeoutException",
        ].contains(code) || status == 429
    }

    public var description: String {
        var text = "\(service) \(operation) failed: \(code)"
        if let status { text += " (HTTP \(status))" }
        if !message.isEmpty { text += ": \(message)" }
        if let requestID { text += " [request id \(requestID)]" }
        return text
    }
}
