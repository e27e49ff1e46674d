/// A problem with an incoming event: it cannot be parsed, lacks a field, or is not ours to handle.
///
/// Reported to the Runtime API with the error type `EventError.<code>`, such as
/// `EventError.missingField`, so that a log query or an alarm can tell the kinds apart.
public struct EventError: Error, CustomStringConvertible, Equatable, LambdaReportableError {
    /// What kind of problem it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }

        /// The bytes are not JSON, or not a JSON object.
        public static let invalidJSON = Code(name: "invalidJSON")
        /// A required field is absent.
        public static let missingField = Code(name: "missingField")
        /// A field has the wrong type or an impossible value.
        public static let invalidField = Code(name: "invalidField")
        /// The event is of a shape or `detail-type` this handler does not accept.
        public static let unsupportedEvent = Code(name: "unsupportedEvent")
        /// An S3 key that does not decode.
        public static let malformedKey = Code(name: "malformedKey")
        /// The event is larger than the handler accepts.
        public static let tooLarge = Code(name: "tooLarge")
    }

    /// What kind of problem it is.
    public let code: Code
    /// A sentence a person can act on, naming the field or value at fault.
    public let message: String

    /// Creates an event error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// `EventError.<code>`, such as `EventError.missingField`.
    public var lambdaErrorType: String { "EventError.\(code)" }
}
