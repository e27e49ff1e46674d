import Foundation

/// Where Analyzer keeps items and analyses. PostgreSQL in production; in memory for unit tests.
public protocol AnalysisStore: Sendable {
    /// The id of the stored analysis for this item version, model and prompt version, if any.
    func existingAnalysis(itemID: UUID, etag: String, model: String, promptVersion: String) async throws -> UUID?

    /// Upserts the item and its analysis together, in one transaction.
    /// - Returns: the analysis id.
    func save(_ record: AnalysisRecord) async throws -> UUID
}

/// Where Embedder reads analyses and keeps vectors.
public protocol EmbeddingStore: Sendable {
    /// The analyses with these ids that exist, in any order.
    func analyses(_ ids: [UUID]) async throws -> [StoredAnalysis]

    /// The content hash of each stored embedding for these analyses with this model and dimension.
    func embeddingHashes(analysisIDs: [UUID], model: String, dimensions: Int) async throws -> [UUID: String]

    /// Upserts embeddings and marks their items embedded, in one transaction.
    func save(_ records: [EmbeddingRecord]) async throws

    /// Marks items embedded whose stored vector is already current.
    func markEmbedded(itemIDs: [UUID]) async throws
}
