extension StageError: ClassifiedError {
    /// Permanent when every failure is (the first one's code), so that a batch message whose
    /// objects can never be processed is dead-lettered at once; otherwise transient, so that it is
    /// retried (each object's work is idempotent).
    public var failureKind: FailureKind {
        let kinds = failures.map { FailureClassifier.kind(of: $0.error) }
        if let first = kinds.first, case .permanent = first,
            kinds.allSatisfy({ if case .permanent = $0 { true } else { false } })
        {
            return first
        }
        return .transient
    }

    /// The longest wait any failure asked for.
    public var retryAfter: Duration? {
        failures.compactMap { FailureClassifier.retryAfter(of: $0.error) }.max()
    }
}
