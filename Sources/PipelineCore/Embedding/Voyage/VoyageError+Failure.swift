extension VoyageError: ClassifiedError {
    /// From the status alone, as Voyage's error-code table documents it
    /// (docs.voyageai.com/docs/error-codes, read 2026-12-04): 429 and 5xx are transient, as are
    /// no answer and a malformed 200; 400 (invalid request), 401, 403 and other 4xx refuse our
    /// request. No text is ever the input's fault: Voyage truncates long texts (`truncation: true`).
    public var failureKind: FailureKind {
        switch code {
        case .unreachable, .malformedResponse: return .transient
        default:
            guard let status else { return .rejected }
            return status == 429 || status == 408 || status >= 500 ? .transient : .rejected
        }
    }
}
