import Foundation

/// An outbound call gave up because another attempt (or its wait) would run past the invocation
/// deadline less ``InvocationDeadline/reserve``: thrown early enough for the function to report it.
public struct RetryBudgetExceeded: Error, CustomStringConvertible {
    /// The service called, such as `S3`, `EventBridge` or `Claude`.
    public let service: String
    /// The operation, such as `GetObject`.
    public let operation: String
    /// Attempts made (0 when none could start).
    public let attempts: Int
    /// The invocation deadline.
    public let deadline: Date
    /// Why the last attempt failed; nil when none was made.
    public let last: (any Error)?

    /// Creates the error.
    public init(service: String, operation: String, attempts: Int, deadline: Date, last: (any Error)?) {
        self.service = service
        self.operation = operation
        self.attempts = attempts
        self.deadline = deadline
        self.last = last
    }

    public var description: String {
        let left = Int64((deadline.timeIntervalSinceNow * 1000).rounded(.down))
        let tries = attempts == 0 ? "made no attempt" : "gave up after \(attempts) attempt\(attempts == 1 ? "" : "s")"
        return "\(service) \(operation) \(tries): \(left) ms were left before the invocation deadline "
            + Self.format(deadline) + (last.map { "; the last attempt: \($0)" } ?? "")
    }

    /// ISO 8601 with milliseconds, UTC.
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
