import Foundation
import Logging
import PipelineCore

/// What a command needs: settings and, opened on first use, the database.
struct CommandContext {
    let settings: Settings
    let database: Database

    init(options: DatabaseOptions) throws {
        JSONLogHandler.bootstrap(defaultLevel: .warning)
        var settings = try Settings()
        if let url = options.databaseURL { settings.databaseURL = url }
        self.settings = settings
        self.database = try Database(url: try settings.requireDatabaseURL(), logger: Logger(label: "postgres"))
    }

    /// Runs `body` and closes the database whatever happens.
    func run<T>(_ body: (CommandContext) async throws -> T) async throws -> T {
        try await database.closing { _ in try await body(self) }
    }
}
