/// How a process ended and what it printed.
public struct ProcessOutcome: Sendable {
    /// The exit code, or 128 + the signal for a process a signal ended (as shells report it).
    public var status: Int32
    /// The signal that ended it, if one did.
    public var signal: Int32?
    /// Standard output, when collected.
    public var stdout: String
    /// Standard error, when collected.
    public var stderr: String

    /// Creates an outcome.
    public init(status: Int32, signal: Int32? = nil, stdout: String = "", stderr: String = "") {
        self.status = status
        self.signal = signal
        self.stdout = stdout
        self.stderr = stderr
    }

    /// True for exit code 0.
    public var succeeded: Bool { status == 0 && signal == nil }
}

/// A process could not be started, or ran over its time.
public struct ProcessError: Error, CustomStringConvertible {
    /// What happened, naming the command.
    public let message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
