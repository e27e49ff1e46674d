import Foundation
import PipelineCore
import PostgresNIO

/// Rows for search tests, written straight into items, analyses and embeddings with bound values.
struct SearchFixture {
    var key: String
    var user = "u1"
    var category = "other"
    var summary = "An ordinary photo."
    var tags: [String] = []
    var description = "d"
    var vector: [Float]
    var createdAt = Date(timeIntervalSince1970: 1_700_000_000)
    var status = "embedded"

    static let model = "test-model"

    var itemID: UUID { ItemID.of(bucket: "b", key: key) }

    /// Inserts the item, its analysis (of its current ETag) and its embedding.
    func insert(into database: Database) async throws {
        let analysisID = UUID()
        try await database.client.query(
            """
            INSERT INTO items (item_id, user_id, bucket, object_key, etag, content_type, width, height, bytes,
                thumbnail_key, status, error, error_stage, error_code, created_at)
            VALUES (\(itemID), \(user), 'b', \(key), 'etag', 'image/jpeg', 10, 10, 10, \("thumbnails/" + key),
                \(status), \(status == "failed" ? "bad" : nil), \(status == "failed" ? "Analyzer" : nil),
                \(status == "failed" ? "refused" : nil), \(createdAt))
            """)
        try await database.client.query(
            """
            INSERT INTO analyses (analysis_id, item_id, etag, model, prompt_version, category, summary, description,
                tags, raw)
            VALUES (\(analysisID), \(itemID), 'etag', 'm', 'p', \(category), \(summary), \(description), \(tags), '{}')
            """)
        try await database.client.query(
            """
            INSERT INTO embeddings (embedding_id, item_id, analysis_id, model, dimensions, embedding, content_hash)
            VALUES (\(UUID()), \(itemID), \(analysisID), \(Self.model), \(vector.count), \(vector)::real[]::vector, 'h')
            """)
    }

    /// A unit vector in the plane of the first two axes, `degrees` from the first axis.
    static func angle(_ degrees: Double, dimensions: Int = 256) -> [Float] {
        var vector = [Float](repeating: 0, count: dimensions)
        vector[0] = Float(cos(degrees * .pi / 180))
        vector[1] = Float(sin(degrees * .pi / 180))
        return vector
    }

    /// Cosine distance, as pgvector computes it.
    static func distance(_ a: [Float], _ b: [Float]) -> Double {
        let dot = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let norms = sqrt(a.reduce(0.0) { $0 + Double($1 * $1) }) * sqrt(b.reduce(0.0) { $0 + Double($1 * $1) })
        return 1 - dot / norms
    }

    /// `count` items in 20 clusters of 256-dimension vectors, made by the server in one statement:
    /// item n is `c/n.jpg` of user `u(n % 10)`, category `nature` when n % 100 == 0 (1%) else
    /// `other`, first recorded n minutes before 2024-06-01. Then ANALYZE, as autovacuum would.
    static func insertClustered(_ count: Int, into database: Database) async throws {
        try await database.client.query(
            """
            INSERT INTO items (item_id, user_id, bucket, object_key, etag, content_type, width, height, bytes,
                thumbnail_key, status, created_at)
            SELECT md5('i' || g)::uuid, 'u' || (g % 10), 'b', 'c/' || g || '.jpg', 'etag', 'image/jpeg', 10, 10, 10,
                't/' || g, 'embedded', timestamptz '2024-06-01' - g * interval '1 minute'
            FROM generate_series(1, \(count)) g
            """)
        try await database.client.query(
            """
            INSERT INTO analyses (analysis_id, item_id, etag, model, prompt_version, category, summary, description,
                raw)
            SELECT md5('a' || g)::uuid, md5('i' || g)::uuid, 'etag', 'm', 'p',
                CASE WHEN g % 100 = 0 THEN 'nature' ELSE 'other' END, 'photo ' || g, 'd', '{}'
            FROM generate_series(1, \(count)) g
            """)
        try await database.client.query(
            """
            WITH centers AS (
                SELECT c, array_agg(random() - 0.5 ORDER BY d) AS v
                FROM generate_series(0, 19) c, generate_series(1, 256) d GROUP BY c)
            INSERT INTO embeddings (embedding_id, item_id, analysis_id, model, dimensions, embedding, content_hash)
            SELECT md5('e' || g)::uuid, md5('i' || g)::uuid, md5('a' || g)::uuid, \(model), 256,
                (SELECT array_agg(x + (random() - 0.5) * 0.3 ORDER BY n) FROM unnest(ce.v) WITH ORDINALITY t(x, n))
                    ::vector, 'h'
            FROM generate_series(1, \(count)) g JOIN centers ce ON ce.c = g % 20
            """)
        try await database.client.query("ANALYZE items, analyses, embeddings")
    }

    /// The stored vector of item `c/n.jpg` of ``insertClustered(_:into:)``.
    static func clusteredVector(_ n: Int, in database: Database) async throws -> [Float] {
        let rows = try await database.client.query(
            "SELECT embedding::real[] FROM embeddings WHERE item_id = md5('i' || \(n))::uuid")
        for try await vector in rows.decode([Float].self) { return vector }
        throw SearchQueryError("no item \(n)")
    }
}
