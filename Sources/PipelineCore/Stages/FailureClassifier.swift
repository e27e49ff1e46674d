/// The one place the stages ask whether a failure is the input's fault for good.
public enum FailureClassifier {
    /// The kind of `error`: its own ``ClassifiedError/failureKind``, else transient (an error we
    /// cannot type is never recorded as the input's fault).
    public static func kind(of error: any Error) -> FailureKind {
        (error as? any ClassifiedError)?.failureKind ?? .transient
    }

    /// The stable code to record when `error` refuses the input for good, or nil.
    /// - Parameter renaming: a stage's own name for a code (`tooLarge` is `tooManyBytes` for an
    ///   original, `renditionTooLarge` for a rendition).
    public static func permanentCode(of error: any Error, renaming: [String: String] = [:]) -> String? {
        guard case .permanent(let code) = kind(of: error) else { return nil }
        return renaming[code] ?? code
    }

    /// How long the dependency asked us to wait before trying `error`'s call again, if it said
    /// (a 429's `retry-after`): a queued event waits that long instead of failing again sooner.
    public static func retryAfter(of error: any Error) -> Duration? {
        (error as? any ClassifiedError)?.retryAfter
    }
}
