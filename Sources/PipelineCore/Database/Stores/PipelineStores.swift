import Foundation

/// Where Analyzer keeps items and analyses. PostgreSQL in production; in memory for unit tests.
public protocol AnalysisStore: Sendable {
    /// The id of the stored analysis for this item version, model and prompt version, if any.
    func existingAnalysis(itemID: UUID, etag: String, model: String, promptVersion: String) async throws -> UUID?

    /// Upserts the item and its analysis together, in one transaction, unless a newer version of
    /// the item (a larger S3 sequencer) is already stored.
    /// - Returns: the analysis id, or nil when nothing was written because the version is stale.
    func save(_ record: AnalysisRecord) async throws -> UUID?

    /// Records a refusal on the item (status `failed`, stage, code, message), creating the row if
    /// needed, unless a newer version of the item is stored.
    /// - Returns: false when nothing was written because the version is stale.
    func recordFailure(_ failure: ItemFailure) async throws -> Bool

    /// The failure recorded on the item, if its current state is a failure of this version.
    func recordedFailure(itemID: UUID, etag: String) async throws -> ItemFailure?
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

    /// Marks the item of an analysis failed, if that analysis still describes its current version.
    func markFailed(analysisID: UUID, code: String, message: String) async throws
}
