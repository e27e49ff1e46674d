import Foundation
import PostgresNIO

/// One search hit.
public struct SearchResult: Sendable, Equatable {
    /// The item.
    public var itemID: UUID
    /// Its owner.
    public var userID: String
    /// The original's key.
    public var objectKey: String
    /// The thumbnail's key.
    public var thumbnailKey: String
    /// The analysis category.
    public var category: String
    /// The analysis summary.
    public var summary: String
    /// The analysis tags.
    public var tags: [String]
    /// Cosine distance to the query, 0 (same direction) to 2 (opposite).
    public var distance: Double
}

/// Nearest-neighbour search over stored embeddings.
public struct SearchRepository: Sendable {
    private let database: Database

    /// Creates a repository over a shared pool.
    public init(database: Database) {
        self.database = database
    }

    /// The items whose embedding (by `model`) is closest to `vector` by cosine distance.
    /// - Parameters:
    ///   - vector: the query embedding, from the same model.
    ///   - model: the embedding model whose rows to search.
    ///   - userID: only this user's items, when given.
    ///   - limit: how many results.
    public func nearest(to vector: [Float], model: String, userID: String? = nil, limit: Int = 10) async throws
        -> [SearchResult]
    {
        let distance = Self.distanceExpression(dimensions: vector.count)
        var query: PostgresQuery = """
            SELECT i.item_id, i.user_id, i.object_key, i.thumbnail_key, a.category, a.summary, a.tags,
                \(unescaped: distance) AS distance
            FROM embeddings e
            JOIN items i ON i.item_id = e.item_id
            JOIN analyses a ON a.analysis_id = e.analysis_id AND a.etag = i.etag
            WHERE e.model = \(model) AND e.dimensions = \(vector.count)
                AND (\(userID)::text IS NULL OR i.user_id = \(userID))
            ORDER BY distance
            LIMIT \(limit)
            """
        query.binds.append(vector)
        return try await database.attempt("searching") {
            let rows = try await database.client.query(query, logger: database.logger)
            var results: [SearchResult] = []
            for try await row in rows.decode((UUID, String, String, String, String, String, [String], Double).self) {
                results.append(
                    SearchResult(
                        itemID: row.0, userID: row.1, objectKey: row.2, thumbnailKey: row.3, category: row.4,
                        summary: row.5, tags: row.6, distance: row.7))
            }
            return results
        }
    }

    /// The distance expression that matches the partial HNSW index for this dimension, if there is one.
    /// The query vector is the last bind parameter.
    static func distanceExpression(dimensions: Int) -> String {
        let parameter = "$6"
        switch dimensions {
        case 256, 512, 1024:
            return "(e.embedding::vector(\(dimensions))) <=> (\(parameter)::real[]::vector(\(dimensions)))"
        case 2048:
            return "(e.embedding::halfvec(2048)) <=> (\(parameter)::real[]::halfvec(2048))"
        default:
            return "e.embedding <=> \(parameter)::real[]::vector"
        }
    }
}
