import Foundation
import LocalStack
import Logging
import PipelineCore

/// What a command needs: settings and, opened on first use, the database.
///
/// With neither `--database-url` nor `DATABASE_URL`, a running local stack supplies the database
/// and the variables that point the Voyage client at its embedder (`collections local env`).
struct CommandContext {
    let settings: Settings
    let database: Database
    /// The environment the command's clients read: the process's, over the local stack's.
    let environment: [String: String]
    /// The local stack in use, if any.
    let stack: StackState?

    init(options: DatabaseOptions) throws {
        JSONLogHandler.bootstrap(defaultLevel: .warning)
        var environment = ProcessInfo.processInfo.environment
        var stack: StackState?
        // The stack applies unless another database was named (its own URL, from `local env`, is fine).
        if options.databaseURL == nil, let paths = try? StackPaths.current(),
            let state = try? StackState.load(from: paths.state),
            environment["DATABASE_URL"] == nil || environment["DATABASE_URL"] == state.databaseURL
        {
            stack = state
            environment.merge(state.clientEnvironment) { current, _ in current }
        }
        var settings = try Settings(environment: environment)
        if let url = options.databaseURL { settings.databaseURL = url }
        self.settings = settings
        self.environment = environment
        self.stack = stack
        self.database = try Database(url: try settings.requireDatabaseURL(), logger: Logger(label: "postgres"))
    }

    /// Runs `body` and closes the database whatever happens.
    func run<T>(_ body: (CommandContext) async throws -> T) async throws -> T {
        try await database.closing { _ in try await body(self) }
    }
}
