extension ClaudeError: ClassifiedError {
    /// Decided from ``code`` and ``status`` only (the Messages API's error table,
    /// docs.anthropic.com/en/api/errors, read 2026-12-04):
    /// - the model's refusal (`refused`), an image the client would not send (`imageRejected`)
    ///   and 413 `request_too_large` (`requestTooLarge`) are the image's fault for good;
    /// - 408, 409, 429, 5xx and 529, and no answer, are transient;
    /// - every other 4xx (400 `invalid_request_error`, 401, 403, 404) is our request's or
    ///   configuration's fault, never the image's: the event is retried or dead-lettered.
    public var failureKind: FailureKind {
        switch code {
        case .refused: return .permanent(code: "refused")
        case .imageRejected: return .permanent(code: "imageRejected")
        case .unreachable, .schemaMismatch: return .transient
        case .truncated: return .rejected
        default:
            guard let status else { return .rejected }
            if status == 413 { return .permanent(code: "requestTooLarge") }
            if [408, 409, 429].contains(status) || status >= 500 { return .transient }
            return .rejected
        }
    }
}
