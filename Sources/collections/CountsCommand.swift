import ArgumentParser
import PipelineCore
import PostgresNIO

/// `collections counts`: how many rows each table holds.
struct CountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "counts", abstract: "Print the number of items, analyses and embeddings.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await CommandContext(options: database).run { context in
            let counts = try await TableCounts.read(context.database)
            print(
                "items \(counts.items)  analyses \(counts.analyses)  embeddings \(counts.embeddings)  failed \(counts.failed)"
            )
        }
    }
}

/// Row counts of the three tables.
struct TableCounts: Equatable {
    var items: Int
    var analyses: Int
    var embeddings: Int
    var failed: Int

    static func read(_ database: Database) async throws -> TableCounts {
        let rows = try await database.client.query(
            """
            SELECT (SELECT count(*) FROM items), (SELECT count(*) FROM analyses), (SELECT count(*) FROM embeddings),
                (SELECT count(*) FROM items WHERE status = 'failed')
            """)
        for try await (items, analyses, embeddings, failed) in rows.decode((Int, Int, Int, Int).self) {
            return TableCounts(items: items, analyses: analyses, embeddings: embeddings, failed: failed)
        }
        return TableCounts(items: 0, analyses: 0, embeddings: 0, failed: 0)
    }
}
