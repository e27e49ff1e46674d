import Foundation

/// How one invocation of a hosted function ended.
public enum InvocationOutcome: Sendable, Equatable {
    /// The function posted a response.
    case success(Data)
    /// The function posted an error, timed out, or its process failed: Lambda's error types
    /// (`Sandbox.Timedout`, `Runtime.ExitError`) or the function's own.
    case failure(type: String, message: String)

    /// Whether the invocation succeeded.
    public var succeeded: Bool {
        if case .success = self { return true }
        return false
    }
}
