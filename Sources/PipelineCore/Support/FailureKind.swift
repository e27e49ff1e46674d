/// Whether retrying can help, as an adapter's typed error says (never from its message text).
public enum FailureKind: Sendable, Equatable {
    /// The dependency was slow, busy or unreachable: the same call may work a little later.
    case transient
    /// The dependency refused our request or configuration (credentials, permissions, a missing
    /// resource, a malformed request): retrying unchanged will not help, but the input is not to
    /// blame. The invocation fails; the event is retried or dead-lettered, never recorded on the item.
    case rejected
    /// The input itself can never be processed: recorded on the item with this stable code.
    case permanent(code: String)
}
