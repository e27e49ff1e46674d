import Foundation
import Logging

/// Stage 3: from `ImageAnalyzed` events to stored vectors and `ItemEmbedded` events.
public struct EmbeddingStage: Sendable {
    /// Where events go.
    public struct Configuration: Sendable {
        /// The bus `ItemEmbedded` goes to; nil for the client's default.
        public var eventBusName: String?

        /// The defaults.
        public init() {}
    }

    private let configuration: Configuration
    private let bus: any EventBus
    private let model: any EmbeddingModel
    private let store: any EmbeddingStore

    /// Wires the stage.
    public init(configuration: Configuration, bus: any EventBus, model: any EmbeddingModel, store: any EmbeddingStore) {
        self.configuration = configuration
        self.bus = bus
        self.model = model
        self.store = store
    }

    /// Handles one `ImageAnalyzed` event.
    public func handle(_ event: Data, logger: Logger) async throws -> EmbeddingResult {
        try await embed([try ImageAnalyzed.decodeEvent(from: event)], logger: logger)
    }

    /// Embeds many analyses, in as few model calls as the model's batch size allows.
    ///
    /// Analyses whose stored vector was made from the same text by the same model are not sent
    /// again. Missing analyses fail the call, after the others are stored.
    /// - Returns: which items were embedded and which were already current.
    public func embed(_ events: [ImageAnalyzed], logger: Logger) async throws -> EmbeddingResult {
        let ids = Array(Set(events.map(\.analysisID)))
        let found = try await store.analyses(ids)
        let foundIDs = Set(found.map(\.analysisID))
        var failures: [(String, any Error)] = events.filter { !foundIDs.contains($0.analysisID) }.map {
            ("analysis \($0.analysisID)", DatabaseError(.notFound, "no analysis \($0.analysisID) is stored"))
        }
        for event in events {
            if let stored = found.first(where: { $0.analysisID == event.analysisID }), stored.itemID != event.itemID {
                failures.append(
                    (
                        "analysis \(event.analysisID)",
                        EventError(
                            .invalidField,
                            "analysis \(event.analysisID) belongs to item \(stored.itemID), not \(event.itemID)")
                    ))
            }
        }
        // An analysis of a version a newer upload replaced is not embedded: the newer one will be.
        let superseded = found.filter { !$0.isCurrent }
        if !superseded.isEmpty {
            logger.info(
                "ignored superseded analyses",
                metadata: ["analysis_ids": "\(superseded.map(\.analysisID.lowercasedString))"])
        }
        let documents = found.filter(\.isCurrent).map { ($0, EmbeddingDocument.text(for: $0.analysis)) }
        let hashes = try await store.embeddingHashes(
            analysisIDs: found.map(\.analysisID), model: model.modelID, dimensions: model.dimensions)
        var pending: [(StoredAnalysis, String, String)] = []
        var current: [StoredAnalysis] = []
        for (stored, text) in documents {
            let hash = EmbeddingDocument.contentHash(text: text, model: model.modelID, dimensions: model.dimensions)
            if hashes[stored.analysisID] == hash {
                current.append(stored)
            } else {
                pending.append((stored, text, hash))
            }
        }
        var records: [EmbeddingRecord] = []
        for start in stride(from: 0, to: pending.count, by: model.maxBatchSize) {
            let chunk = Array(pending[start..<min(start + model.maxBatchSize, pending.count)])
            let batch: EmbeddingBatch
            do {
                batch = try await model.embed(chunk.map(\.1), as: .document)
            } catch let error as VoyageError where error.code == .apiError && error.status == 400 && chunk.count == 1 {
                // The API refuses this one text for good: record it on the item rather than retry.
                try await store.markFailed(
                    analysisID: chunk[0].0.analysisID, code: "embeddingRejected", message: "\(error)")
                throw error
            }
            guard batch.vectors.count == chunk.count, batch.vectors.allSatisfy({ $0.count == model.dimensions })
            else {
                throw EmbeddingError(
                    "\(model.modelID) returned \(batch.vectors.count) vectors for \(chunk.count) texts, "
                        + "or vectors not of \(model.dimensions) dimensions")
            }
            let characters = max(chunk.reduce(0) { $0 + $1.1.count }, 1)
            for ((stored, text, hash), vector) in zip(chunk, batch.vectors) {
                records.append(
                    EmbeddingRecord(
                        analysisID: stored.analysisID, itemID: stored.itemID, model: model.modelID, vector: vector,
                        contentHash: hash, totalTokens: batch.totalTokens * text.count / characters))
            }
        }
        try await store.save(records)
        try await store.markEmbedded(itemIDs: current.map(\.itemID))
        let done = records.map(\.itemID) + current.map(\.itemID)
        let announcements = try done.map {
            try EventEntry(
                ItemEmbedded(itemID: $0, embeddingModel: model.modelID, dimensions: model.dimensions),
                eventBusName: configuration.eventBusName)
        }
        if !announcements.isEmpty { try await bus.put(announcements) }
        logger.info(
            "embedded",
            metadata: ["embedded": "\(records.count)", "current": "\(current.count)", "model": "\(model.modelID)"])
        if !failures.isEmpty { throw StageError(failures: failures) }
        return EmbeddingResult(
            embedded: records.map(\.itemID), alreadyCurrent: current.map(\.itemID),
            superseded: superseded.map(\.analysisID))
    }
}

/// What one Embedder invocation did.
public struct EmbeddingResult: Encodable, Sendable {
    /// Items whose vectors were written.
    public var embedded: [UUID]
    /// Items whose stored vectors were already current.
    public var alreadyCurrent: [UUID]
    /// Analyses not embedded because a newer upload replaced their version.
    public var superseded: [UUID] = []

    enum CodingKeys: String, CodingKey {
        case embedded
        case alreadyCurrent = "already_current"
        case superseded
    }
}
