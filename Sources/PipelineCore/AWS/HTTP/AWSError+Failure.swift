extension AWSError: ClassifiedError {
    /// Throttling, 5xx and transport failures are transient; every other AWS error refuses our
    /// request (a missing object is not the upload's fault either).
    public var failureKind: FailureKind { isRetryable ? .transient : .rejected }
}
