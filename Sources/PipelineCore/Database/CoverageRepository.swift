import Foundation
import PostgresNIO

/// How completely a set of items went through the pipeline.
public struct Coverage: Sendable, Equatable {
    /// Items found.
    public var items: Int
    /// Items with exactly one analysis of their current version by the model and prompt version.
    public var analysed: Int
    /// Items whose analysis has exactly one vector from the embedding model at its dimension.
    public var embedded: Int

    /// Creates a coverage count.
    public init(items: Int, analysed: Int, embedded: Int) {
        self.items = items
        self.analysed = analysed
        self.embedded = embedded
    }

    /// Whether every item was analysed and embedded exactly once.
    public var isComplete: Bool { analysed == items && embedded == items }
}

/// Checks that items were analysed and embedded exactly once.
public struct CoverageRepository: Sendable {
    private let database: Database

    /// Creates a repository over a shared pool.
    public init(database: Database) {
        self.database = database
    }

    /// Coverage of `itemIDs` by one analysis model (and prompt version) and one embedding model.
    public func coverage(
        of itemIDs: [UUID], analysisModel: String, promptVersion: String, embeddingModel: String, dimensions: Int
    ) async throws -> Coverage {
        try await database.attempt("checking coverage") {
            let rows = try await database.client.query(
                """
                SELECT count(*)::bigint,
                    count(*) FILTER (WHERE analyses = 1)::bigint,
                    count(*) FILTER (WHERE analyses = 1 AND vectors = 1)::bigint
                FROM (
                    SELECT
                        (SELECT count(*) FROM analyses a
                         WHERE a.item_id = i.item_id AND a.etag = i.etag
                             AND a.model = \(analysisModel) AND a.prompt_version = \(promptVersion)) AS analyses,
                        (SELECT count(*) FROM embeddings e JOIN analyses a ON a.analysis_id = e.analysis_id
                         WHERE a.item_id = i.item_id AND a.etag = i.etag
                             AND a.model = \(analysisModel) AND a.prompt_version = \(promptVersion)
                             AND e.model = \(embeddingModel) AND e.dimensions = \(dimensions)) AS vectors
                    FROM items i WHERE i.item_id = ANY(\(itemIDs))
                ) counted
                """, logger: database.logger)
            for try await (items, analysed, embedded) in rows.decode((Int, Int, Int).self) {
                return Coverage(items: items, analysed: analysed, embedded: embedded)
            }
            return Coverage(items: 0, analysed: 0, embedded: 0)
        }
    }
}
