/// Some of the objects or events in one invocation failed; the rest were handled.
public struct StageError: Error, CustomStringConvertible {
    /// What failed (a key or an id) and why.
    public let failures: [(subject: String, error: any Error)]

    /// Creates an error.
    public init(failures: [(String, any Error)]) {
        self.failures = failures.map { (subject: $0.0, error: $0.1) }
    }

    public var description: String {
        if failures.count == 1, let only = failures.first {
            return "\(only.subject): \(only.error)"
        }
        return "\(failures.count) failed: "
            + failures.map { "\($0.subject): \($0.error)" }.joined(separator: "; ")
    }
}
