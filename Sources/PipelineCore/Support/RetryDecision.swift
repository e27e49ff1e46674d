/// What the ``Retrier`` does after one attempt, as the adapter decides from its typed outcome.
public enum RetryDecision: Sendable, Equatable {
    /// The outcome is final: return it or throw it.
    case finish
    /// Try again; wait what the server asked (`Retry-After`), or the policy's backoff when nil.
    case retry(after: Duration?)
}
