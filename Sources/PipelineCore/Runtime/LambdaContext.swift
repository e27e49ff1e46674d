import Foundation
import Logging

/// What the Runtime API says about one invocation.
public struct LambdaContext: Sendable {
    /// `Lambda-Runtime-Aws-Request-Id`.
    public var requestID: String
    /// `Lambda-Runtime-Deadline-Ms`: when the invocation is cut off.
    public var deadline: Date
    /// `Lambda-Runtime-Invoked-Function-Arn`.
    public var invokedFunctionARN: String
    /// `Lambda-Runtime-Trace-Id`, also exported as `_X_AMZN_TRACE_ID`.
    public var traceID: String?
    /// A logger whose lines carry the request id.
    public var logger: Logger

    /// Creates a context.
    public init(requestID: String, deadline: Date, invokedFunctionARN: String, traceID: String?, logger: Logger) {
        self.requestID = requestID
        self.deadline = deadline
        self.invokedFunctionARN = invokedFunctionARN
        self.traceID = traceID
        self.logger = logger
        self.logger[metadataKey: "aws_request_id"] = "\(requestID)"
    }

    /// The time left before the deadline (negative once it has passed).
    public var remainingTime: Duration {
        .milliseconds(Int64((deadline.timeIntervalSinceNow * 1000).rounded(.down)))
    }

    /// A context for a local run: a fresh request id and a deadline `timeout` from now.
    public static func local(function: String, timeout: Duration = .seconds(900), logger: Logger) -> LambdaContext {
        let seconds = Double(timeout.components.seconds)
        return LambdaContext(
            requestID: UUID().uuidString.lowercased(), deadline: Date().addingTimeInterval(seconds),
            invokedFunctionARN: "arn:aws:lambda:local:000000000000:function:\(function)", traceID: nil,
            logger: logger)
    }
}

/// The body Lambda expects for an error, and the error-type header's value.
public struct LambdaErrorBody: Codable, Sendable, Equatable {
    /// The error's type, such as `EventError.missingField` or `StageError`.
    public var errorType: String
    /// What went wrong.
    public var errorMessage: String

    /// Creates a body.
    public init(errorType: String, errorMessage: String) {
        self.errorType = errorType
        self.errorMessage = errorMessage
    }

    /// The body for a Swift error: its ``LambdaReportableError/lambdaErrorType`` or else its type
    /// name, and its description.
    public init(_ error: any Error) {
        let errorType = (error as? any LambdaReportableError)?.lambdaErrorType ?? String(describing: type(of: error))
        self.init(errorType: errorType, errorMessage: "\(error)")
    }

    /// The JSON text.
    public var json: Data {
        (try? PipelineJSON.encoder.encode(self)) ?? Data("{}".utf8)
    }
}

/// An error that names its own Lambda `errorType`, more specific than its Swift type name.
public protocol LambdaReportableError: Error {
    /// The `errorType` to report, such as `EventError.missingField`.
    var lambdaErrorType: String { get }
}
