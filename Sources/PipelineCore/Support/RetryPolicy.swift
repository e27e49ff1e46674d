import Foundation

/// Capped exponential backoff with full jitter: attempt `n` waits a random time up to
/// `min(maxDelay, baseDelay * 2^(n-1))`, unless the server said how long to wait.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The cap for the first retry's delay.
    public var baseDelay: Duration
    /// The cap for any delay we choose.
    public var maxDelay: Duration
    /// The cap for a delay the server asks for (`retry-after`).
    public var maxSuggestedDelay: Duration

    /// Creates a policy.
    public init(
        maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(20),
        maxSuggestedDelay: Duration = .seconds(60)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxSuggestedDelay = maxSuggestedDelay
    }

    /// No retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// How long to wait before retry number `retry` (1 for the first retry).
    /// - Parameters:
    ///   - retry: which retry this is.
    ///   - suggested: the server's `retry-after`, used as given (capped) when present.
    ///   - random: a number in 0...1, fixed in tests.
    public func delay(beforeRetry retry: Int, suggested: Duration? = nil, random: Double = .random(in: 0...1))
        -> Duration
    {
        if let suggested { return min(max(suggested, .zero), maxSuggestedDelay) }
        let exponent = min(max(retry - 1, 0), 30)
        let cap = min(baseDelay * (1 << exponent), maxDelay)
        return cap * min(max(random, 0), 1)
    }
}
