/// An adapter error that says whether retrying can help, from its status code, its service's
/// documented error code or its own type.
public protocol ClassifiedError: Error {
    /// What kind of failure this is.
    var failureKind: FailureKind { get }
}

extension RetryBudgetExceeded: ClassifiedError {
    public var failureKind: FailureKind { .transient }
}

extension AttemptTimedOut: ClassifiedError {
    public var failureKind: FailureKind { .transient }
}

extension RetryingHTTP.TransportError: ClassifiedError {
    public var failureKind: FailureKind { .transient }
}
