extension ObjectStoreError: ClassifiedError {
    /// An object over the reader's limit is the input's fault (`tooLarge`); a failed call is what
    /// its underlying error says; the rest refuse our request.
    public var failureKind: FailureKind {
        switch code {
        case .tooLarge: .permanent(code: "tooLarge")
        case .failed: underlying.map(FailureClassifier.kind(of:)) ?? .transient
        default: .rejected
        }
    }
}
