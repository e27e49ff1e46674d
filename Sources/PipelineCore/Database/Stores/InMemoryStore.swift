import Foundation
import Synchronization

/// An in-memory ``AnalysisStore`` and ``EmbeddingStore`` with the same keys and the same rules as
/// the tables (``PostgresStore``): the version guard (a write about an older S3 sequencer never
/// replaces a newer version), failures only of the current version, upserts. The same
/// conformance tests run against both (`StoreConformanceTests`).
public final class InMemoryStore: AnalysisStore, EmbeddingStore {
    /// What the store holds.
    public struct Contents: Sendable {
        /// Items by id: the last event saved for each.
        public var items: [UUID: ImageProcessed] = [:]
        /// The version of each item row: its ETag and S3 sequencer.
        public var versions: [UUID: (etag: String?, sequencer: String?)] = [:]
        /// Item statuses by id.
        public var statuses: [UUID: String] = [:]
        /// Analyses by id.
        public var analyses: [UUID: AnalysisRecord] = [:]
        /// Embeddings by analysis id, model and dimension.
        public var embeddings: [String: EmbeddingRecord] = [:]
        /// Recorded failures by item id.
        public var failures: [UUID: ItemFailure] = [:]
    }

    private let state = Mutex(Contents())

    /// Creates an empty store.
    public init() {}

    /// A copy of everything stored.
    public var contents: Contents { state.withLock { $0 } }

    /// Whether a write about (`etag`, `sequencer`) may replace the stored row: the same version,
    /// or no ordering known, or a sequencer at least as large (hex, left-padded), as
    /// ``PostgresStore`` decides in SQL.
    static func mayReplace(_ stored: (etag: String?, sequencer: String?)?, etag: String?, sequencer: String?) -> Bool {
        guard let stored else { return true }
        if stored.etag == etag { return true }
        guard let old = stored.sequencer, let new = sequencer else { return true }
        func padded(_ text: String) -> String {
            String(repeating: "0", count: max(0, 64 - text.count)) + text.uppercased()
        }
        return padded(new) >= padded(old)
    }

    public func existingAnalysis(itemID: UUID, etag: String, model: String, promptVersion: String) async throws
        -> UUID?
    {
        let id = ItemID.analysis(item: itemID, etag: etag, model: model, promptVersion: promptVersion)
        return state.withLock { $0.analyses[id] == nil ? nil : id }
    }

    public func save(_ record: AnalysisRecord) async throws -> UUID? {
        state.withLock { contents in
            let item = record.item.event
            guard Self.mayReplace(contents.versions[item.itemID], etag: item.etag, sequencer: item.sequencer) else {
                return nil
            }
            contents.items[item.itemID] = item
            contents.versions[item.itemID] = (item.etag, item.sequencer)
            contents.statuses[item.itemID] = "analyzed"
            contents.failures[item.itemID] = nil
            contents.analyses[record.analysisID] = record
            return record.analysisID
        }
    }

    public func recordFailure(_ failure: ItemFailure) async throws -> Bool {
        state.withLock { contents in
            let upload = failure.upload
            guard Self.mayReplace(contents.versions[upload.itemID], etag: upload.etag, sequencer: upload.sequencer)
            else { return false }
            contents.versions[upload.itemID] = (upload.etag, upload.sequencer)
            contents.failures[upload.itemID] = failure
            contents.statuses[upload.itemID] = "failed"
            return true
        }
    }

    public func recordedFailure(itemID: UUID, etag: String) async throws -> ItemFailure? {
        state.withLock { contents in
            guard contents.statuses[itemID] == "failed", contents.versions[itemID]?.etag == etag else { return nil }
            return contents.failures[itemID]
        }
    }

    public func markFailed(analysisID: UUID, code: String, message: String) async throws {
        state.withLock { contents in
            guard let record = contents.analyses[analysisID] else { return }
            let item = record.item.event
            // Only while the analysis still describes the item's current version.
            guard contents.versions[item.itemID]?.etag == item.etag else { return }
            contents.failures[item.itemID] = ItemFailure(item, stage: "Embedder", code: code, message: message)
            contents.statuses[item.itemID] = "failed"
        }
    }

    public func analyses(_ ids: [UUID]) async throws -> [StoredAnalysis] {
        state.withLock { contents in
            ids.compactMap { id in
                contents.analyses[id].map {
                    StoredAnalysis(
                        analysisID: id, itemID: $0.item.event.itemID, analysis: $0.output.analysis,
                        isCurrent: contents.versions[$0.item.event.itemID]?.etag == $0.item.event.etag)
                }
            }
        }
    }

    public func embeddingHashes(analysisIDs: [UUID], model: String, dimensions: Int) async throws -> [UUID: String] {
        state.withLock { contents in
            var result: [UUID: String] = [:]
            for id in analysisIDs {
                if let record = contents.embeddings[Self.key(id, model, dimensions)] { result[id] = record.contentHash }
            }
            return result
        }
    }

    public func save(_ records: [EmbeddingRecord]) async throws {
        state.withLock { contents in
            for record in records {
                contents.embeddings[Self.key(record.analysisID, record.model, record.dimensions)] = record
                contents.statuses[record.itemID] = "embedded"
            }
        }
    }

    public func markEmbedded(itemIDs: [UUID]) async throws {
        state.withLock { contents in
            for id in itemIDs { contents.statuses[id] = "embedded" }
        }
    }

    private static func key(_ analysisID: UUID, _ model: String, _ dimensions: Int) -> String {
        "\(analysisID)/\(model)/\(dimensions)"
    }
}
