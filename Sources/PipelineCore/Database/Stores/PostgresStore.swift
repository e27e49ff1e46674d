import Foundation
import PostgresNIO

/// The PostgreSQL implementation of ``AnalysisStore`` and ``EmbeddingStore``. All SQL is parameterised.
public struct PostgresStore: AnalysisStore, EmbeddingStore {
    let database: Database

    /// The `ON CONFLICT` condition that lets a write replace the stored item: same version, or no
    /// ordering known, or a sequencer at least as large. S3 sequencers of one key compare as hex
    /// strings once the shorter is left-padded with zeros.
    static let notNewer = """
        items.etag IS NOT DISTINCT FROM EXCLUDED.etag OR items.sequencer IS NULL OR EXCLUDED.sequencer IS NULL
            OR lpad(upper(EXCLUDED.sequencer), 64, '0') >= lpad(upper(items.sequencer), 64, '0')
        """

    /// Creates a store over a shared pool.
    public init(database: Database) {
        self.database = database
    }

    public func existingAnalysis(itemID: UUID, etag: String, model: String, promptVersion: String) async throws
        -> UUID?
    {
        try await database.attempt("looking up the analysis of item \(itemID)") {
            let rows = try await database.client.query(
                """
                SELECT analysis_id FROM analyses
                WHERE item_id = \(itemID) AND etag = \(etag) AND model = \(model) AND prompt_version = \(promptVersion)
                """, logger: database.logger)
            for try await id in rows.decode(UUID.self) { return id }
            return nil
        }
    }

    public func save(_ record: AnalysisRecord) async throws -> UUID? {
        let item = record.item.event
        let analysis = record.output.analysis
        let analysisID = record.analysisID
        let usage = record.output.usage
        return try await database.attempt("saving the analysis of item \(item.itemID)") {
            try await database.client.withTransaction(logger: database.logger) { connection in
                let written = try await connection.query(
                    """
                    INSERT INTO items (item_id, user_id, bucket, object_key, etag, version_id, sequencer, content_type,
                        format, width, height, bytes, thumbnail_key, rendition_key, status, error)
                    VALUES (\(item.itemID), \(item.userID), \(item.bucket), \(item.originalKey), \(item.etag),
                        \(item.versionID), \(item.sequencer), \(item.contentType), \(item.format), \(item.width),
                        \(item.height), \(item.bytes), \(item.thumbnailKey), \(item.renditionKey), 'analyzed', NULL)
                    ON CONFLICT (item_id) DO UPDATE SET
                        etag = EXCLUDED.etag, version_id = EXCLUDED.version_id, sequencer = EXCLUDED.sequencer,
                        content_type = EXCLUDED.content_type, format = EXCLUDED.format, width = EXCLUDED.width,
                        height = EXCLUDED.height, bytes = EXCLUDED.bytes, thumbnail_key = EXCLUDED.thumbnail_key,
                        rendition_key = EXCLUDED.rendition_key, status = 'analyzed', error = NULL, error_stage = NULL,
                        error_code = NULL, updated_at = now()
                    WHERE \(unescaped: Self.notNewer)
                    RETURNING item_id
                    """, logger: database.logger)
                guard try await written.collect().count == 1 else { return nil }
                try await connection.query(
                    """
                    INSERT INTO analyses (analysis_id, item_id, etag, model, prompt_version, category, summary,
                        description, tags, objects, colors, detected_text, raw, input_tokens, output_tokens, thinking_tokens,
                        cache_write_tokens, cache_read_tokens, request_id)
                    VALUES (\(analysisID), \(item.itemID), \(item.etag), \(record.model), \(record.promptVersion),
                        \(analysis.category.rawValue), \(analysis.summary), \(analysis.description), \(analysis.tags),
                        \(analysis.objects), \(analysis.colors), \(analysis.detectedText), \(record.output.rawJSON)::jsonb,
                        \(usage.inputTokens), \(usage.outputTokens), \(usage.thinkingTokens),
                        \(usage.cacheWriteTokens), \(usage.cacheReadTokens), \(record.output.requestID))
                    ON CONFLICT (item_id, etag, model, prompt_version) DO UPDATE SET
                        category = EXCLUDED.category, summary = EXCLUDED.summary, description = EXCLUDED.description,
                        tags = EXCLUDED.tags, objects = EXCLUDED.objects, colors = EXCLUDED.colors,
                        detected_text = EXCLUDED.detected_text, raw = EXCLUDED.raw,
                        input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens,
                        thinking_tokens = EXCLUDED.thinking_tokens, cache_write_tokens = EXCLUDED.cache_write_tokens,
                        cache_read_tokens = EXCLUDED.cache_read_tokens, request_id = EXCLUDED.request_id, updated_at = now()
                    """, logger: database.logger)
                return analysisID
            }
        }
    }

    public func analyses(_ ids: [UUID]) async throws -> [StoredAnalysis] {
        try await database.attempt("loading analyses") {
            let rows = try await database.client.query(
                """
                SELECT a.analysis_id, a.item_id, a.category, a.summary, a.description, a.tags, a.objects, a.colors,
                    a.detected_text, i.etag IS NOT DISTINCT FROM a.etag
                FROM analyses a JOIN items i ON i.item_id = a.item_id
                WHERE a.analysis_id = ANY(\(ids))
                """, logger: database.logger)
            var result: [StoredAnalysis] = []
            for try await row in rows.decode(
                (UUID, UUID, String, String, String, [String], [String], [String], String, Bool).self)
            {
                let category = AnalysisCategory(rawValue: row.2) ?? .other
                let analysis = Analysis(
                    category: category, summary: row.3, description: row.4, tags: row.5, objects: row.6,
                    colors: row.7, detectedText: row.8)
                result.append(StoredAnalysis(analysisID: row.0, itemID: row.1, analysis: analysis, isCurrent: row.9))
            }
            return result
        }
    }

    public func embeddingHashes(analysisIDs: [UUID], model: String, dimensions: Int) async throws -> [UUID: String] {
        try await database.attempt("loading embedding hashes") {
            let rows = try await database.client.query(
                """
                SELECT analysis_id, content_hash FROM embeddings
                WHERE analysis_id = ANY(\(analysisIDs)) AND model = \(model) AND dimensions = \(dimensions)
                """, logger: database.logger)
            var result: [UUID: String] = [:]
            for try await (id, hash) in rows.decode((UUID, String).self) { result[id] = hash }
            return result
        }
    }

    public func save(_ records: [EmbeddingRecord]) async throws {
        guard !records.isEmpty else { return }
        try await database.attempt("saving \(records.count) embeddings") {
            try await database.client.withTransaction(logger: database.logger) { connection in
                for record in records {
                    let embeddingID = ItemID.embedding(
                        analysis: record.analysisID, model: record.model, dimensions: record.dimensions)
                    try await connection.query(
                        """
                        INSERT INTO embeddings (embedding_id, item_id, analysis_id, model, dimensions, embedding,
                            content_hash, total_tokens)
                        VALUES (\(embeddingID), \(record.itemID), \(record.analysisID), \(record.model),
                            \(record.dimensions), \(record.vector)::vector, \(record.contentHash), \(record.totalTokens))
                        ON CONFLICT (analysis_id, model, dimensions) DO UPDATE SET
                            embedding = EXCLUDED.embedding, content_hash = EXCLUDED.content_hash,
                            total_tokens = EXCLUDED.total_tokens, updated_at = now()
                        """, logger: database.logger)
                }
                let itemIDs = records.map(\.itemID)
                try await connection.query(
                    "UPDATE items SET status = 'embedded', error = NULL, updated_at = now() WHERE item_id = ANY(\(itemIDs))",
                    logger: database.logger)
            }
        }
    }

    public func markEmbedded(itemIDs: [UUID]) async throws {
        guard !itemIDs.isEmpty else { return }
        try await database.attempt("marking items embedded") {
            try await database.client.query(
                """
                UPDATE items SET status = 'embedded', error = NULL, updated_at = now()
                WHERE item_id = ANY(\(itemIDs)) AND status <> 'embedded'
                """, logger: database.logger)
        }
    }
}
