import Foundation
import Synchronization

/// An in-memory ``AnalysisStore`` and ``EmbeddingStore`` with the same keys as the tables, for unit tests.
public final class InMemoryStore: AnalysisStore, EmbeddingStore {
    /// What the store holds.
    public struct Contents: Sendable {
        /// Items by id: the last event saved for each.
        public var items: [UUID: ImageProcessed] = [:]
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

    public func existingAnalysis(itemID: UUID, etag: String, model: String, promptVersion: String) async throws
        -> UUID?
    {
        let id = ItemID.analysis(item: itemID, etag: etag, model: model, promptVersion: promptVersion)
        return state.withLock { $0.analyses[id] == nil ? nil : id }
    }

    public func save(_ record: AnalysisRecord) async throws -> UUID? {
        state.withLock {
            let item = record.item.event
            $0.items[item.itemID] = item
            $0.statuses[item.itemID] = "analyzed"
            $0.failures[item.itemID] = nil
            $0.analyses[record.analysisID] = record
        }
        return record.analysisID
    }

    public func recordFailure(_ failure: ItemFailure) async throws -> Bool {
        state.withLock {
            $0.failures[failure.upload.itemID] = failure
            $0.statuses[failure.upload.itemID] = "failed"
        }
        return true
    }

    public func recordedFailure(itemID: UUID, etag: String) async throws -> ItemFailure? {
        state.withLock { $0.failures[itemID].flatMap { $0.upload.etag == etag ? $0 : nil } }
    }

    public func markFailed(analysisID: UUID, code: String, message: String) async throws {
        state.withLock { contents in
            guard let record = contents.analyses[analysisID] else { return }
            contents.failures[record.item.event.itemID] = ItemFailure(
                record.item.event, stage: "Embedder", code: code, message: message)
            contents.statuses[record.item.event.itemID] = "failed"
        }
    }

    public func analyses(_ ids: [UUID]) async throws -> [StoredAnalysis] {
        state.withLock { contents in
            ids.compactMap { id in
                contents.analyses[id].map {
                    StoredAnalysis(
                        analysisID: id, itemID: $0.item.event.itemID, analysis: $0.output.analysis,
                        isCurrent: contents.items[$0.item.event.itemID]?.etag == $0.item.event.etag)
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
