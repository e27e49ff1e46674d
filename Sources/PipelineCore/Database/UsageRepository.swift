import PostgresNIO

/// Token usage as stored with analyses and embeddings.
public struct UsageRepository: Sendable {
    private let database: Database

    /// Creates a repository over a shared pool.
    public init(database: Database) {
        self.database = database
    }

    /// Usage per stage and model, and how many items have an analysis.
    public func usage() async throws -> (usage: [ModelUsage], images: Int) {
        try await database.attempt("reading usage") {
            let rows = try await database.client.query(
                """
                SELECT 'analysis', model, count(*)::bigint, coalesce(sum(input_tokens), 0)::bigint,
                    coalesce(sum(output_tokens), 0)::bigint
                FROM analyses GROUP BY model
                UNION ALL
                SELECT 'embedding', model, count(*)::bigint, coalesce(sum(total_tokens), 0)::bigint, 0::bigint
                FROM embeddings GROUP BY model
                ORDER BY 1, 2
                """, logger: database.logger)
            var usage: [ModelUsage] = []
            for try await (stage, model, calls, input, output) in rows.decode((String, String, Int, Int, Int).self) {
                usage.append(
                    ModelUsage(stage: stage, model: model, calls: calls, inputTokens: input, outputTokens: output))
            }
            let counted = try await database.client.query(
                "SELECT count(DISTINCT item_id)::bigint FROM analyses", logger: database.logger)
            var images = 0
            for try await (count, ) in counted.decode((Int,).self) { images = count }
            return (usage, images)
        }
    }
}
