import ArgumentParser

/// The command-line tool: runs the pipeline locally, migrates, and searches.
@main
struct Collections: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collections",
        abstract: "Turn photos into searchable data: thumbnails, analyses and vectors in PostgreSQL.",
        subcommands: [
            MigrateCommand.self, IngestCommand.self, ItemsCommand.self, SearchCommand.self, CountsCommand.self,
            StandInsCommand.self, CostCommand.self, EventCommand.self, FailuresCommand.self, RedriveCommand.self,
            DeployCommand.self, DestroyCommand.self, LocalCommand.self,
        ])
}

/// Options every database command takes.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"), help: "postgres://user:password@host:port/database (default: $DATABASE_URL)")
    var databaseURL: String?
}
