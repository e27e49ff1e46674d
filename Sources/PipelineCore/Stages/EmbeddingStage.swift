import Foundation
import Logging

/// Stage 3: from `ImageAnalyzed` events to stored vectors and `ItemEmbedded` events.
public struct EmbeddingStage: WholeBatchStage {
    public typealias Event = DeliveredEvent<ImageAnalyzed>
    public typealias Output = EmbeddingResult
    public static let eventName = "ImageAnalyzed event"

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

    /// Handles one `ImageAnalyzed` event as delivered.
    public func handle(_ event: Data, logger: Logger) async throws -> EmbeddingResult {
        try await embed([try ImageAnalyzed.decodeEvent(from: event)], logger: logger)
    }

    /// Handles one decoded `ImageAnalyzed` event.
    public func handle(_ event: DeliveredEvent<ImageAnalyzed>, logger: Logger) async throws -> EmbeddingResult {
        try await embed([event.detail], logger: logger)
    }

    /// An event whose analysis a newer upload superseded, and nothing else.
    public static func isIgnored(_ output: EmbeddingResult) -> Bool {
        output.embedded.isEmpty && output.alreadyCurrent.isEmpty && !output.superseded.isEmpty
    }

    /// Handles a batch in as few model calls as the model's limits allow (one, for a batch of
    /// short analyses) and one transaction; each event gets its own outcome.
    public func handle(batch events: [DeliveredEvent<ImageAnalyzed>], logger: Logger) async
        -> [Result<EmbeddingResult, any Error>]
    {
        let details = events.map(\.detail)
        do {
            let outcome = try await run(details, logger: logger)
            return details.map { outcome.result(for: $0) }
        } catch {
            return details.map { _ in .failure(error) }
        }
    }

    /// Embeds many analyses, in as few model calls as the model's limits allow.
    ///
    /// Analyses whose stored vector was made from the same text by the same model are not sent
    /// again. Missing analyses fail the call, after the others are stored.
    /// - Returns: which items were embedded and which were already current.
    public func embed(_ events: [ImageAnalyzed], logger: Logger) async throws -> EmbeddingResult {
        let outcome = try await run(events, logger: logger)
        let failures = outcome.failures.sorted { $0.key.uuidString < $1.key.uuidString }
        if !failures.isEmpty { throw StageError(failures: failures.map { ("analysis \($0.key)", $0.value) }) }
        return outcome.total
    }

    private func run(_ events: [ImageAnalyzed], logger: Logger) async throws -> EmbeddingOutcome {
        var outcome = EmbeddingOutcome()
        EventMetrics.record(.batchSize, Double(events.count), model: model.modelID)
        let ids = Array(Set(events.map(\.analysisID)))
        let found = try await store.analyses(ids)
        let byID = Dictionary(found.map { ($0.analysisID, $0) }, uniquingKeysWith: { first, _ in first })
        for event in events {
            guard let stored = byID[event.analysisID] else {
                outcome.failures[event.analysisID] = DatabaseError(
                    .notFound, "no analysis \(event.analysisID) is stored")
                continue
            }
            if stored.itemID != event.itemID {
                outcome.failures[event.analysisID] = EventError(
                    .invalidField,
                    "analysis \(event.analysisID) belongs to item \(stored.itemID), not \(event.itemID)")
            }
        }
        let usable = found.filter { outcome.failures[$0.analysisID] == nil }
        // An analysis of a version a newer upload replaced is not embedded: the newer one will be.
        let superseded = usable.filter { !$0.isCurrent }
        outcome.superseded = Set(superseded.map(\.analysisID))
        if !superseded.isEmpty {
            logger.info(
                "ignored superseded analyses",
                metadata: ["analysis_ids": "\(superseded.map(\.analysisID.lowercasedString))"])
        }
        let hashes = try await store.embeddingHashes(
            analysisIDs: usable.map(\.analysisID), model: model.modelID, dimensions: model.dimensions)
        var pending: [(StoredAnalysis, String, String)] = []
        var current: [StoredAnalysis] = []
        for stored in usable where stored.isCurrent {
            let text = EmbeddingDocument.text(for: stored.analysis)
            let hash = EmbeddingDocument.contentHash(text: text, model: model.modelID, dimensions: model.dimensions)
            if hashes[stored.analysisID] == hash {
                current.append(stored)
            } else {
                pending.append((stored, text, hash))
            }
        }
        var records: [EmbeddingRecord] = []
        for start in stride(from: 0, to: pending.count, by: max(model.maxBatchSize, 1)) {
            let chunk = Array(pending[start..<min(start + model.maxBatchSize, pending.count)])
            do {
                records += try await embed(chunk)
            } catch {
                if let error = error as? VoyageError, error.code == .apiError, error.status == 400, chunk.count == 1 {
                    // The API refuses this one text for good: record it on the item rather than retry.
                    try await store.markFailed(
                        analysisID: chunk[0].0.analysisID, code: "embeddingRejected", message: "\(error)")
                }
                for (stored, _, _) in chunk { outcome.failures[stored.analysisID] = error }
            }
        }
        try await store.save(records)
        try await store.markEmbedded(itemIDs: current.map(\.itemID))
        outcome.embedded = Set(records.map(\.analysisID))
        outcome.current = Set(current.map(\.analysisID))
        outcome.itemIDs = Dictionary(found.map { ($0.analysisID, $0.itemID) }, uniquingKeysWith: { first, _ in first })
        let done = records.map(\.itemID) + current.map(\.itemID)
        let announcements = try done.map {
            try EventEntry(
                ItemEmbedded(itemID: $0, embeddingModel: model.modelID, dimensions: model.dimensions),
                eventBusName: configuration.eventBusName)
        }
        if !announcements.isEmpty { try await bus.put(announcements) }
        logger.info(
            "embedded",
            metadata: [
                "embedded": "\(records.count)", "current": "\(current.count)", "failed": "\(outcome.failures.count)",
                "model": "\(model.modelID)",
            ])
        return outcome
    }

    /// One model call for a chunk of pending texts, checked, as records to save.
    private func embed(_ chunk: [(StoredAnalysis, String, String)]) async throws -> [EmbeddingRecord] {
        let batch = try await model.embed(chunk.map(\.1), as: .document)
        EventMetrics.record(.embeddingTokens, Double(batch.totalTokens), model: model.modelID)
        guard batch.vectors.count == chunk.count, batch.vectors.allSatisfy({ $0.count == model.dimensions }) else {
            throw EmbeddingError(
                "\(model.modelID) returned \(batch.vectors.count) vectors for \(chunk.count) texts, "
                    + "or vectors not of \(model.dimensions) dimensions")
        }
        let characters = max(chunk.reduce(0) { $0 + $1.1.count }, 1)
        return zip(chunk, batch.vectors).map { entry, vector in
            let (stored, text, hash) = entry
            return EmbeddingRecord(
                analysisID: stored.analysisID, itemID: stored.itemID, model: model.modelID, vector: vector,
                contentHash: hash, totalTokens: batch.totalTokens * text.count / characters)
        }
    }
}

/// What one run of the Embedder did, per analysis.
struct EmbeddingOutcome {
    var failures: [UUID: any Error] = [:]
    var embedded: Set<UUID> = []
    var current: Set<UUID> = []
    var superseded: Set<UUID> = []
    var itemIDs: [UUID: UUID] = [:]

    /// The whole run as one result.
    var total: EmbeddingResult {
        EmbeddingResult(
            embedded: embedded.compactMap { itemIDs[$0] }.sorted { $0.uuidString < $1.uuidString },
            alreadyCurrent: current.compactMap { itemIDs[$0] }.sorted { $0.uuidString < $1.uuidString },
            superseded: superseded.sorted { $0.uuidString < $1.uuidString })
    }

    /// One event's result.
    func result(for event: ImageAnalyzed) -> Result<EmbeddingResult, any Error> {
        let id = event.analysisID
        if let error = failures[id] { return .failure(error) }
        return .success(
            EmbeddingResult(
                embedded: embedded.contains(id) ? [event.itemID] : [],
                alreadyCurrent: current.contains(id) ? [event.itemID] : [],
                superseded: superseded.contains(id) ? [id] : []))
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
