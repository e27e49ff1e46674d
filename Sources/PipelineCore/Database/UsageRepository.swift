import PostgresNIO

/// Token usage as stored with analyses and embeddings.
public struct UsageRepository: Sendable {
    private let database: Database

    /// Creates a repository over a shared pool.
    public init(database: Database) {
        self.database = database
    }

    /// The prompt size (input plus cache writes and reads) above which a model's second price tier
    /// applies: 100,000 tokens for every catalogued model with a tier (Haiku 5.5).
    public static let longPromptThreshold = 100_000

    /// Usage per stage, model and price tier, and how many items have an analysis.
    public func usage() async throws -> (usage: [ModelUsage], images: Int) {
        try await database.attempt("reading usage") {
            let rows = try await database.client.query(
                """
                SELECT 'analysis', model,
                    (input_tokens + cache_write_tokens + cache_read_tokens) > \(Self.longPromptThreshold) AS long_prompt,
                    count(*)::bigint, coalesce(sum(input_tokens), 0)::bigint, coalesce(sum(output_tokens), 0)::bigint,
                    coalesce(sum(thinking_tokens), 0)::bigint, coalesce(sum(cache_write_tokens), 0)::bigint,
                    coalesce(sum(cache_read_tokens), 0)::bigint
                FROM analyses GROUP BY model, long_prompt
                UNION ALL
                SELECT 'embedding', model, false, count(*)::bigint, coalesce(sum(total_tokens), 0)::bigint,
                    0::bigint, 0::bigint, 0::bigint, 0::bigint
                FROM embeddings GROUP BY model
                ORDER BY 1, 2, 3
                """, logger: database.logger)
            var usage: [ModelUsage] = []
            let shape = (String, String, Bool, Int, Int, Int, Int, Int, Int).self
            for try await (stage, model, long, calls, input, output, thinking, writes, reads) in rows.decode(shape) {
                usage.append(
                    ModelUsage(
                        stage: stage, model: model, calls: calls, inputTokens: input, outputTokens: output,
                        thinkingTokens: thinking, cacheWriteTokens: writes, cacheReadTokens: reads, longPrompt: long))
            }
            let counted = try await database.client.query(
                "SELECT count(DISTINCT item_id)::bigint FROM analyses", logger: database.logger)
            var images = 0
            for try await (count, ) in counted.decode((Int,).self) { images = count }
            return (usage, images)
        }
    }
}
