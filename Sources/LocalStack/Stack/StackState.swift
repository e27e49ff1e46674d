import Foundation

/// What `collections local up` started and created, kept in `<state>/stack.json` so that the
/// other `local` commands, `collections search` and the runner find the stack.
public struct StackState: Codable, Sendable, Equatable {
    /// One function as the stack runs it.
    public struct Function: Codable, Sendable, Equatable {
        /// The function name, such as `collections-local-analyzer`.
        public var name: String
        /// The executable product, such as `Analyzer`.
        public var executable: String
        /// The queue its rules deliver to.
        public var queueURL: String
        /// Where failed events go after the last attempt.
        public var deadLetterURL: String
        /// Processes, each handling one invocation at a time: the event source mapping's
        /// `MaximumConcurrency`, unless `local up` was told otherwise.
        public var processes: Int
        /// The invocation timeout, seconds.
        public var timeoutSeconds: Int
        /// Receives per event before its queue dead-letters it (the redrive policy's `maxReceiveCount`).
        public var maxAttempts: Int
        /// Messages per invocation, at most (the mapping's `BatchSize`).
        public var batchSize: Int
        /// Seconds to gather a batch (the mapping's `MaximumBatchingWindowInSeconds`).
        public var batchingWindowSeconds: Int
        /// Whether the mapping reads partial batch responses (`ReportBatchItemFailures`).
        public var reportsBatchItemFailures: Bool
        /// The process environment from the template plus the local endpoints.
        public var environment: [String: String]
    }

    /// The stack's name, the prefix of its resources.
    public var stackName: String
    /// The AWS region the emulator answers as.
    public var region: String
    /// The moto endpoint (S3, EventBridge, SQS, SSM).
    public var endpoint: String
    /// The upload bucket.
    public var bucket: String
    /// The custom event bus.
    public var bus: String
    /// The PostgreSQL URL.
    public var databaseURL: String
    /// The stand-ins' URL, when running.
    public var standInsURL: String?
    /// `stand-in` or `api`, per API.
    public var claude: String
    /// `stand-in` or `api`.
    public var voyage: String
    /// The functions.
    public var functions: [Function]
    /// Background processes by name (`moto`, `stand-ins`, `runner`): their pids, also their session ids.
    public var processes: [String: Int32]
    /// Whether `up` started PostgreSQL (and `down` should stop it).
    public var startedPostgres: Bool
    /// Variables that point a client (the `aws` CLI, `collections search`) at this stack.
    public var clientEnvironment: [String: String]
    /// The Git checkout the stack runs from.
    public var home: String

    /// The file in a state folder.
    public static func file(in folder: URL) -> URL { folder.appendingPathComponent("stack.json") }

    /// Reads the state of the stack in `folder`; nil when there is none.
    /// - Throws: ``LocalStackError`` when the file exists but does not decode.
    public static func load(from folder: URL) throws -> StackState? {
        let file = file(in: folder)
        guard let data = try? Data(contentsOf: file) else { return nil }
        do {
            return try JSONDecoder().decode(StackState.self, from: data)
        } catch {
            throw LocalStackError("\(file.path) does not decode (\(error)); remove it and run `collections local up`")
        }
    }

    /// Writes the state (mode 600: it holds the database password).
    public func save(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let file = Self.file(in: folder)
        try encoder.encode(self).write(to: file, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    }
}
