import Foundation
import Logging

/// Stage 2: from `ImageProcessed` to a stored analysis and an `ImageAnalyzed` event.
public struct AnalysisStage: Sendable {
    /// Where inputs come from and events go.
    public struct Configuration: Sendable {
        /// Prefix of rendition keys, for events that lack `rendition_key`.
        public var renditionPrefix = "renditions/"
        /// The bus `ImageAnalyzed` goes to; nil for the client's default.
        public var eventBusName: String?
        /// Largest rendition read, in bytes: the Messages API's image limit.
        public var maxRenditionBytes = 5 * 1024 * 1024

        /// The defaults.
        public init() {}
    }

    private let configuration: Configuration
    private let storage: any ObjectStore
    private let bus: any EventBus
    private let model: any AnalysisModel
    private let store: any AnalysisStore

    /// Wires the stage.
    public init(
        configuration: Configuration, storage: any ObjectStore, bus: any EventBus, model: any AnalysisModel,
        store: any AnalysisStore
    ) {
        self.configuration = configuration
        self.storage = storage
        self.bus = bus
        self.model = model
        self.store = store
    }

    /// Handles one `ImageProcessed` event.
    ///
    /// An item version already analysed by this model and prompt version is not sent to the model
    /// again (deliveries are at least once and the model is paid per call): the stored analysis is
    /// announced again instead. Set `"reanalyze": true` in the detail to force a new call.
    /// - Returns: the `ImageAnalyzed` detail sent.
    public func handle(_ event: Data, logger: Logger) async throws -> ImageAnalyzed {
        let detail = try ImageProcessed.decodeEvent(from: event)
        let reanalyze = (try? JSONDecoder().decode(ReanalyzeFlag.self, from: event))?.detail.reanalyze ?? false
        var logger = logger
        logger[metadataKey: "item_id"] = "\(detail.itemID.lowercasedString)"
        if !reanalyze,
            let existing = try await store.existingAnalysis(
                itemID: detail.itemID, etag: detail.etag, model: model.modelID, promptVersion: model.promptVersion)
        {
            logger.info(
                "already analysed; announcing the stored analysis",
                metadata: ["analysis_id": "\(existing.lowercasedString)"])
            return try await announce(detail.itemID, existing)
        }
        let renditionKey = detail.renditionKey ?? "\(configuration.renditionPrefix)\(detail.originalKey).jpg"
        let rendition = try await storage.get(
            bucket: detail.bucket, key: renditionKey, maxBytes: configuration.maxRenditionBytes)
        let output = try await model.analyze(
            AnalysisInput(
                data: rendition.data, mediaType: rendition.contentType ?? "image/jpeg",
                originalWidth: detail.width, originalHeight: detail.height))
        let record = AnalysisRecord(
            item: ItemRecord(detail), model: model.modelID, promptVersion: model.promptVersion, output: output)
        let analysisID = try await store.save(record)
        logger.info(
            "analysed",
            metadata: [
                "analysis_id": "\(analysisID.lowercasedString)", "model": "\(model.modelID)",
                "category": "\(output.analysis.category.rawValue)", "input_tokens": "\(output.usage.inputTokens)",
                "output_tokens": "\(output.usage.outputTokens)",
            ])
        return try await announce(detail.itemID, analysisID)
    }

    private func announce(_ itemID: UUID, _ analysisID: UUID) async throws -> ImageAnalyzed {
        let analyzed = ImageAnalyzed(
            itemID: itemID, analysisID: analysisID, model: model.modelID, promptVersion: model.promptVersion)
        try await bus.put([EventEntry(analyzed, eventBusName: configuration.eventBusName)])
        return analyzed
    }

    private struct ReanalyzeFlag: Decodable {
        struct Detail: Decodable { var reanalyze: Bool? }
        var detail: Detail
    }
}
