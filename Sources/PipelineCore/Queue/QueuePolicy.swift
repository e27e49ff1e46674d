import Foundation

/// How a function settles the messages of its queue that failed, from its environment (the
/// template sets each variable from the queue it declares).
public struct QueuePolicy: Sendable, Equatable {
    /// `COLLECTIONS_MAX_RECEIVE_COUNT`: the queue redrive policy's `maxReceiveCount` (default 5).
    /// A message failing its last receive is dead-lettered by the function, with its error.
    public var maxReceiveCount = 5
    /// `COLLECTIONS_RETRY_DELAY_SECONDS`: the wait before a failed message's first retry (default
    /// 30; fractions allowed); it doubles with each receive, up to ``maximumRetryDelay``.
    public var retryDelay: Duration = .seconds(30)
    /// `COLLECTIONS_DEAD_LETTER_QUEUE_URL`: where a message that failed for good goes with its error.
    public var deadLetterQueueURL: String?

    /// The longest wait before a retry: 15 minutes.
    public static let maximumRetryDelay: Duration = .seconds(900)

    /// The defaults.
    public init() {}

    /// Reads the policy.
    /// - Throws: ``ConfigurationError`` naming a malformed variable.
    public init(environment: [String: String]) throws {
        if let text = environment["COLLECTIONS_MAX_RECEIVE_COUNT"], !text.isEmpty {
            guard let count = Int(text), (1...1000).contains(count) else {
                throw ConfigurationError(
                    variable: "COLLECTIONS_MAX_RECEIVE_COUNT", problem: "must be an integer from 1 to 1000, not \(text)"
                )
            }
            maxReceiveCount = count
        }
        if let text = environment["COLLECTIONS_RETRY_DELAY_SECONDS"], !text.isEmpty {
            guard let seconds = Double(text), seconds >= 0, seconds <= 900 else {
                throw ConfigurationError(
                    variable: "COLLECTIONS_RETRY_DELAY_SECONDS",
                    problem: "must be a number of seconds from 0 to 900, not \(text)")
            }
            retryDelay = .milliseconds(Int64(seconds * 1000))
        }
        if let url = environment["COLLECTIONS_DEAD_LETTER_QUEUE_URL"], !url.isEmpty { deadLetterQueueURL = url }
    }

    /// What to do with a message that failed with `error` on its `receiveCount`th receive.
    public func settlement(for error: any Error, receiveCount: Int) -> Settlement {
        if error is NotAttempted { return .retry(after: .zero) }
        if error is EventError { return .deadLetter }
        if case .permanent = FailureClassifier.kind(of: error) { return .deadLetter }
        let last = receiveCount >= maxReceiveCount
        if let wait = FailureClassifier.retryAfter(of: error) {
            // The dependency is busy and said for how long: never a reason to give the event up.
            return last ? .requeue(after: wait) : .retry(after: wait)
        }
        if last { return .deadLetter }
        let exponent = min(max(receiveCount - 1, 0), 16)
        return .retry(after: min(retryDelay * (1 << exponent), Self.maximumRetryDelay))
    }
}

/// What happens to a failed message.
public enum Settlement: Sendable, Equatable {
    /// It stays in its queue and is received again after this wait.
    case retry(after: Duration)
    /// It goes to the dead-letter queue with its error, and leaves its queue.
    case deadLetter
    /// It is sent again as a new message, delayed by this wait, and leaves its queue: a message
    /// only throttled keeps its place even after `maxReceiveCount` receives.
    case requeue(after: Duration)
}
