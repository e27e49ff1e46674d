extension DatabaseError: ClassifiedError {
    /// An unavailable server is transient; anything else is our query's or configuration's fault.
    public var failureKind: FailureKind { code == .unavailable ? .transient : .rejected }
}
