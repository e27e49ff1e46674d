import Foundation

extension FunctionHost {
    /// What to run.
    public struct Configuration: Sendable {
        /// The function's name, for logs and its ARN.
        public var name: String
        /// The bootstrap executable.
        public var executable: URL
        /// The process environment (the Runtime API address is added).
        public var environment: [String: String]
        /// The invocation timeout.
        public var timeout: Duration
        /// Where the process's standard output and error are appended; nil to discard them.
        public var logFile: URL?
        /// Where a ``FunctionMemory`` sample is written every ``FunctionHost/memoryInterval``; nil for none.
        public var memoryFolder: URL?

        /// Creates a configuration.
        public init(
            name: String, executable: URL, environment: [String: String], timeout: Duration, logFile: URL? = nil,
            memoryFolder: URL? = nil
        ) {
            self.name = name
            self.executable = executable
            self.environment = environment
            self.timeout = timeout
            self.logFile = logFile
            self.memoryFolder = memoryFolder
        }
    }
}
