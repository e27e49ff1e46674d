/// A program to run: what, with which arguments and environment, where, and where its output goes.
public struct ProcessCommand: Sendable {
    /// Where standard output and standard error go.
    public enum Output: Sendable {
        /// Collected in memory, at most this many bytes each (more is an error).
        case collect(limit: Int)
        /// Appended to a file (created if missing); standard error joins standard output.
        case appendToFile(String)
        /// Appended to two files (created if missing).
        case appendToFiles(stdout: String, stderr: String)
        /// This process's own standard output and standard error.
        case inherit
        /// Nowhere.
        case discard
    }

    /// A path, or a name looked up on `PATH`.
    public var executable: String
    /// The arguments, without the program's name.
    public var arguments: [String]
    /// Exactly this environment; nil inherits this process's.
    public var environment: [String: String]?
    /// The working directory; nil for this process's.
    public var workingDirectory: String?
    /// Where output goes.
    public var output: Output

    /// Creates a command.
    public init(
        _ executable: String, _ arguments: [String] = [], environment: [String: String]? = nil,
        workingDirectory: String? = nil, output: Output = .collect(limit: 16 << 20)
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.output = output
    }

    /// The command line, for messages.
    public var commandLine: String { ([executable] + arguments).joined(separator: " ") }
}
