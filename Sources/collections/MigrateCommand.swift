import ArgumentParser
import PipelineCore

/// `collections migrate`: applies pending SQL migrations.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply the numbered SQL migrations not yet applied (safe to run again).")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await CommandContext(options: database).run { context in
            let applied = try await Migrator(database: context.database).migrate()
            if applied.isEmpty {
                print("schema is current")
            }
            for migration in applied {
                print("applied \(String(format: "%04d", migration.version))_\(migration.name)")
            }
        }
    }
}
