import Foundation
import PostgresNIO

/// Search over stored embeddings and analyses: nearest neighbours by cosine distance, full text,
/// or both fused by reciprocal rank (``SearchMode``).
///
/// Only an item's current version counts (the embedded analysis has the item's ETag), never a
/// failed item. Each search runs in one read-only transaction that sets `hnsw.ef_search` and
/// `hnsw.iterative_scan = relaxed_order` for itself alone: when a filter rejects most of what the
/// HNSW index offers, pgvector keeps scanning (up to `hnsw.max_scan_tuples`, 20,000 by default)
/// until the page is full, and the page is then sorted by exact distance.
public struct SearchRepository: Sendable {
    let database: Database

    /// Creates a repository over a shared pool.
    public init(database: Database) {
        self.database = database
    }

    /// Runs a search.
    /// - Returns: up to `query.limit` hits, nearest first (`vector`) or by fused score
    ///   (`hybrid`, `text`), each with its cosine distance.
    /// - Throws: ``SearchQueryError`` for a query that cannot run, ``DatabaseError`` otherwise.
    public func search(_ query: SearchQuery) async throws -> [SearchResult] {
        try query.validate()
        let statement = query.mode == .vector ? Self.vectorStatement(query) : Self.fusedStatement(query)
        return try await withSearchSettings(efSearch: query.resolvedEfSearch) { connection in
            let rows = try await connection.query(statement, logger: database.logger)
            var results: [SearchResult] = []
            for try await row in rows.decode(
                (UUID, String, String, String, String, String, [String], Double, Int?, Int?, Double?).self)
            {
                results.append(
                    SearchResult(
                        itemID: row.0, userID: row.1, objectKey: row.2, thumbnailKey: row.3, category: row.4,
                        summary: row.5, tags: row.6, distance: row.7, vectorRank: row.8, textRank: row.9,
                        score: row.10 ?? Self.reciprocal(rank: row.8)))
            }
            return results
        }
    }

    /// The items whose embedding (by `model`) is closest to `vector` by cosine distance: a
    /// `vector` search with a user filter at the default `ef_search`.
    /// - Parameters:
    ///   - vector: the query embedding, from the same model.
    ///   - model: the embedding model whose rows to search.
    ///   - userID: only this user's items, when given.
    ///   - limit: how many results.
    public func nearest(to vector: [Float], model: String, userID: String? = nil, limit: Int = 10) async throws
        -> [SearchResult]
    {
        try await search(SearchQuery(vector: vector, model: model, filters: .init(userID: userID), limit: limit))
    }

    /// 1 / (k + rank): a vector-mode hit's score, as fusion would give it with no text half.
    static func reciprocal(rank: Int?) -> Double {
        rank.map { 1 / (SearchTuning.rrfConstant + Double($0)) } ?? 0
    }

    /// Runs `body` in a read-only transaction whose `hnsw.ef_search` is `efSearch` and whose HNSW
    /// scans are iterative (`relaxed_order`). `set_config(..., true)` is `SET LOCAL` taking bound
    /// values: the settings end with the transaction and never reach the pool's other users.
    func withSearchSettings<T: Sendable>(
        efSearch: Int, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        guard SearchTuning.efSearchRange.contains(efSearch) else {
            throw SearchQueryError("ef_search must be 1 to 1000, not \(efSearch)")
        }
        return try await database.attempt("searching") {
            do {
                return try await database.client.withTransaction(logger: database.logger) { connection in
                    try await connection.query(
                        """
                        SELECT set_config('transaction_read_only', 'on', true),
                            set_config('hnsw.ef_search', \(String(efSearch)), true),
                            set_config('hnsw.iterative_scan', 'relaxed_order', true)
                        """, logger: database.logger)
                    return try await body(connection)
                }
            } catch let error as PostgresTransactionError {
                // Report what failed inside, as every other query does.
                throw error.closureError ?? error.beginError ?? error.commitError ?? error
            }
        }
    }

    /// The bound values, always in this order, so the SQL below refers to them by number:
    /// $1 model, $2 user, $3 category, $4 since, $5 until, $6 query vector, $7 dimensions,
    /// $8 limit; a fused search adds $9 query text, $10 vector candidates, $11 text candidates
    /// and $12 the RRF constant.
    static func bindings(_ query: SearchQuery) -> PostgresBindings {
        var binds = PostgresBindings(capacity: 12)
        binds.append(query.model)
        binds.append(query.filters.userID)
        binds.append(query.filters.normalizedCategory)
        binds.append(query.filters.since)
        binds.append(query.filters.until)
        binds.append(query.vector)
        binds.append(Int32(query.vector.count))
        binds.append(query.limit)
        if query.mode != .vector {
            let candidates = SearchTuning.candidates(limit: query.limit)
            binds.append(query.text ?? "")
            binds.append(query.mode == .hybrid ? candidates : 0)
            binds.append(candidates)
            binds.append(SearchTuning.rrfConstant)
        }
        return binds
    }

    /// Nearest neighbours through the dimension's partial HNSW index. The materialized CTE keeps
    /// the index scan (iterative under filters, relaxed order) apart from the final exact sort.
    static func vectorStatement(_ query: SearchQuery) -> PostgresQuery {
        let distance = distanceExpression(dimensions: query.vector.count)
        var statement: PostgresQuery = """
            WITH nearest AS MATERIALIZED (
                SELECT i.item_id, i.user_id, i.object_key, i.thumbnail_key, a.category, a.summary, a.tags,
                    \(unescaped: distance) AS distance
                FROM embeddings e
                JOIN items i ON i.item_id = e.item_id
                JOIN analyses a ON a.analysis_id = e.analysis_id AND \(unescaped: Self.currentVersion)
                WHERE e.model = $1 AND e.dimensions = $7 AND \(unescaped: Self.filters)
                ORDER BY distance
                LIMIT $8)
            SELECT item_id, user_id, object_key, thumbnail_key, category, summary, tags, distance,
                row_number() OVER (ORDER BY distance, item_id) AS rank, NULL::bigint, NULL::float8
            FROM nearest
            ORDER BY rank
            """
        statement.binds = bindings(query)
        return statement
    }

    /// Reciprocal rank fusion of the vector half (as ``vectorStatement(_:)``, `$10` candidates)
    /// and the full-text half (`$11` candidates by `ts_rank_cd`, ties to the newer upload), with
    /// the distance of every hit. `ts_rank_cd` is computed for every filtered match (there is no
    /// ranked index), so a word in most summaries costs a pass over them: about 0.7 s per 100,000
    /// matches on the machine this was written on, with a top-N sort rather than a full one.
    static func fusedStatement(_ query: SearchQuery) -> PostgresQuery {
        let distance = distanceExpression(dimensions: query.vector.count)
        var statement: PostgresQuery = """
            WITH vector_hits AS MATERIALIZED (
                SELECT e.embedding_id, \(unescaped: distance) AS distance
                FROM embeddings e
                JOIN items i ON i.item_id = e.item_id
                JOIN analyses a ON a.analysis_id = e.analysis_id AND \(unescaped: Self.currentVersion)
                WHERE e.model = $1 AND e.dimensions = $7 AND \(unescaped: Self.filters)
                ORDER BY distance
                LIMIT $10),
            vector_ranks AS (
                SELECT embedding_id, row_number() OVER (ORDER BY distance, embedding_id) AS rank FROM vector_hits),
            text_hits AS (
                SELECT e.embedding_id, ts_rank_cd(a.search_document, q.query) AS relevance, i.created_at
                FROM (SELECT websearch_to_tsquery('english', $9) AS query) q
                JOIN analyses a ON a.search_document @@ q.query
                JOIN items i ON i.item_id = a.item_id AND \(unescaped: Self.currentVersion)
                JOIN embeddings e ON e.analysis_id = a.analysis_id AND e.model = $1 AND e.dimensions = $7
                WHERE \(unescaped: Self.filters)
                ORDER BY relevance DESC, i.created_at DESC, e.embedding_id
                LIMIT $11),
            text_ranks AS (
                SELECT embedding_id,
                    row_number() OVER (ORDER BY relevance DESC, created_at DESC, embedding_id) AS rank
                FROM text_hits),
            fused AS (
                SELECT embedding_id, v.rank AS vector_rank, t.rank AS text_rank,
                    coalesce(1.0 / ($12 + v.rank), 0) + coalesce(1.0 / ($12 + t.rank), 0) AS score
                FROM vector_ranks v FULL JOIN text_ranks t USING (embedding_id))
            SELECT i.item_id, i.user_id, i.object_key, i.thumbnail_key, a.category, a.summary, a.tags,
                \(unescaped: distance) AS distance, f.vector_rank, f.text_rank, f.score
            FROM fused f
            JOIN embeddings e ON e.embedding_id = f.embedding_id
            JOIN items i ON i.item_id = e.item_id
            JOIN analyses a ON a.analysis_id = e.analysis_id
            ORDER BY f.score DESC, distance, i.item_id
            LIMIT $8
            """
        statement.binds = bindings(query)
        return statement
    }

    /// "The analysis of the item's current version", written so the planner cannot estimate it.
    /// As a plain `a.etag = i.etag` PostgreSQL multiplies its selectivity (1 / distinct ETags) into
    /// the join and expects one row; a LIMIT over one row saves nothing, so at 100,000 rows it sorted
    /// the whole table (about 1 s) instead of walking the HNSW index (3–5 ms). The CASE is opaque
    /// to the estimator, which then plans the index scan (docs/SEARCH.md, HNSWMigrationTests).
    static let currentVersion = "CASE WHEN a.etag = i.etag THEN true END"

    /// The filters, over `e` (embeddings), `i` (items) and `a` (analyses). A NULL parameter means
    /// no filter; PostgreSQL plans each search with its values, so absent filters cost nothing.
    static let filters = """
        i.status <> 'failed'
            AND ($2::text IS NULL OR i.user_id = $2)
            AND ($3::text IS NULL OR a.category = $3)
            AND ($4::timestamptz IS NULL OR i.created_at >= $4)
            AND ($5::timestamptz IS NULL OR i.created_at < $5)
        """

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
