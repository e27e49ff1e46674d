/// An adapter error that says whether retrying can help, from its status code, its service's
/// documented error code or its own type.
public protocol ClassifiedError: Error {
    /// What kind of failure this is.
    var failureKind: FailureKind { get }
    /// How long the service asked us to wait before trying again (`Retry-After`), if it said.
    var retryAfter: Duration? { get }
}

extension ClassifiedError {
    public var retryAfter: Duration? { nil }
}

extension RetryBudgetExceeded: ClassifiedError {
    public var failureKind: FailureKind { .transient }
    /// The wait the last answer asked for, which the deadline did not leave time for.
    public var retryAfter: Duration? { (last as? any ClassifiedError)?.retryAfter }
}

extension AttemptTimedOut: ClassifiedError {
    public var failureKind: FailureKind { .transient }
}

extension RetryingHTTP.TransportError: ClassifiedError {
    public var failureKind: FailureKind { .transient }
}
