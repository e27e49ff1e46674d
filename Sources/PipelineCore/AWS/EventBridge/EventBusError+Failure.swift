extension EventBusError: ClassifiedError {
    /// A failed call is what its underlying error says; an entry the bus refused or that breaks
    /// a limit is our request's fault.
    public var failureKind: FailureKind {
        switch code {
        case .failed: underlying.map(FailureClassifier.kind(of:)) ?? .transient
        default: .rejected
        }
    }
}
