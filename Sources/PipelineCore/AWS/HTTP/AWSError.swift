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
    /// The wait the service asked for (`Retry-After`), if it did.
    public let retryAfter: Duration?

    /// Creates an error.
    public init(
        service: String, operation: String, status: Int?, code: String, message: String, requestID: String?,
        retryAfter: Duration? = nil
    ) {
        self.service = service
        self.operation = operation
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
        self.retryAfter = retryAfter
    }

    /// True for answers worth trying again: transport failures and timeouts, 5xx, 429, and the
    /// error codes the AWS SDKs' standard retry mode treats as throttling or transient.
    public var isRetryable: Bool {
        if status == nil { return code == "TransportError" }
        if let status, status >= 500 || status == 429 { return true }
        return Self.transientCodes.contains(code)
    }

    /// Throttling and transient error codes, as the AWS SDKs' standard retry mode lists them
    /// ("Retry behavior", docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html, and
    /// the SDK for Python's retries guide, both read 2026-12-04). S3's `SlowDown` comes with a 503.
    public static let transientCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown",
        "PriorRequestNotComplete", "EC2ThrottledException", "RequestTimeout", "RequestTimeoutException",
        "InternalFailure", "ServiceUnavailable",
        // Bedrock Runtime's ModelNotReadyException (429) and ModelTimeoutException (408)
        // (API_runtime_InvokeModel.html, read 2026-12-04).
        "ModelNotReadyException", "ModelTimeoutException",
    ]

    public var description: String {
        var text = "\(service) \(operation) failed: \(code)"
        if let status { text += " (HTTP \(status))" }
        if !message.isEmpty { text += ": \(message)" }
        if let requestID { text += " [request id \(requestID)]" }
        return text
    }
}
