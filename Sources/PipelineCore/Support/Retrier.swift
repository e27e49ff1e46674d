import Foundation
import Logging

/// The one retry loop for every outbound call (S3, EventBridge, SSM, SQS, Claude, Voyage).
///
/// Attempts follow ``policy`` (capped exponential backoff with full jitter, or the server's
/// `Retry-After`). Inside an invocation (``InvocationDeadline/current``, or an explicit
/// ``deadline``) everything is bounded by the deadline less ``InvocationDeadline/reserve``: each
/// attempt's timeout is cut to the time left, no attempt starts with less than
/// ``minimumAttempt`` left, and no wait is made that would leave less. When that budget runs out
/// after a failure, ``RetryBudgetExceeded`` names the service, the attempts and the deadline; an
/// answer the adapter chose to retry (a 529, say) is returned as it is, for the adapter to type.
public struct Retrier: Sendable {
    /// The service, for errors and logs.
    public var service: String
    /// Attempts and backoff.
    public var policy: RetryPolicy
    /// The limit for one attempt, before the deadline cuts it.
    public var timeout: Duration
    /// The deadline; nil for the current invocation's, if any.
    public var deadline: Date?

    /// Creates a retrier.
    public init(service: String, policy: RetryPolicy, timeout: Duration, deadline: Date? = nil) {
        self.service = service
        self.policy = policy
        self.timeout = timeout
        self.deadline = deadline
    }

    /// The shortest attempt worth making: the lesser of 2 s and ``timeout``.
    public var minimumAttempt: Duration { min(.seconds(2), timeout) }

    /// Runs `attempt` until `decide` says the outcome is final, the policy's attempts are spent, or
    /// the deadline's budget is.
    /// - Parameters:
    ///   - operation: such as `GetObject`, for errors and logs.
    ///   - attempt: one try, given its timeout; it is also cancelled once that has passed.
    ///   - decide: whether an outcome is worth another attempt.
    /// - Returns: the final success.
    /// - Throws: the final failure; ``RetryBudgetExceeded`` when the deadline stops a retry after a
    ///   failure, or leaves no time for the first attempt.
    public func run<T: Sendable>(
        _ operation: String, logger: Logger,
        attempt: @escaping @Sendable (_ timeout: Duration) async throws -> T,
        decide: (Result<T, any Error>) -> RetryDecision
    ) async throws -> T {
        let deadline = self.deadline ?? InvocationDeadline.current
        var attempts = 0
        var last: Result<T, any Error>?
        while true {
            let left = deadline.map { InvocationDeadline.usableTime(until: $0) }
            if let deadline, let left, left < minimumAttempt {
                return try budgetSpent(operation, attempts, deadline, last)
            }
            let limit = min(timeout, left ?? timeout)
            attempts += 1
            let result: Result<T, any Error>
            do {
                result = .success(try await AttemptTimedOut.run(within: limit) { try await attempt(limit) })
            } catch is CancellationError where Task.isCancelled {
                throw CancellationError()
            } catch {
                result = .failure(error)
            }
            last = result
            guard case .retry(let suggested) = decide(result), attempts < policy.maxAttempts else {
                return try result.get()
            }
            let delay = policy.delay(beforeRetry: attempts, suggested: suggested)
            if let deadline, InvocationDeadline.usableTime(until: deadline) - delay < minimumAttempt {
                logger.warning(
                    "not retrying: the invocation deadline is too close",
                    metadata: ["service": "\(service)", "operation": "\(operation)", "attempt": "\(attempts)"])
                return try budgetSpent(operation, attempts, deadline, result)
            }
            logger.warning(
                "retrying",
                metadata: [
                    "service": "\(service)", "operation": "\(operation)", "attempt": "\(attempts)",
                    "outcome": "\(Self.describe(result))", "delay_ms": "\(delay.milliseconds)",
                ])
            try await Task.sleep(for: delay)
        }
    }

    /// Ends the loop when the deadline stops it: returns the last answer when there was one (the
    /// adapter types it), otherwise throws ``RetryBudgetExceeded``.
    private func budgetSpent<T>(
        _ operation: String, _ attempts: Int, _ deadline: Date, _ last: Result<T, any Error>?
    ) throws -> T {
        if case .success(let value) = last { return value }
        var error: (any Error)?
        if case .failure(let failure) = last { error = failure }
        throw RetryBudgetExceeded(
            service: service, operation: operation, attempts: attempts, deadline: deadline, last: error)
    }

    private static func describe<T>(_ result: Result<T, any Error>) -> String {
        switch result {
        case .success(let value): String("\(value)".prefix(300))
        case .failure(let error): "\(error)"
        }
    }
}
