import Foundation
import Logging

/// Stage 2: from `ImageProcessed` to a stored analysis and an `ImageAnalyzed` event; and from
/// `ImageFailed` to a failure recorded on the item.
public struct AnalysisStage: EventStage {
    public typealias Event = AnalyzerEvent
    public typealias Output = AnalysisResult
    public static let eventName = "Analyzer event"

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

    /// The events this stage accepts.
    public static let accepted = AnalyzerEvent.accepted

    private let configuration: Configuration
    private let storage: any ObjectStore
    private let bus: any EventBus
    private let model: any AnalysisModel
    private let store: any AnalysisStore
    private let recorder: ItemRecorder

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
        self.recorder = ItemRecorder(store: store, storage: storage)
    }

    /// An event about a replaced or deleted version.
    public static func isIgnored(_ output: AnalysisResult) -> Bool { output.ignored != nil }

    /// Handles one `ImageProcessed` or `ImageFailed` event.
    ///
    /// An event about a version that a newer upload has replaced is ignored. An item version
    /// already analysed by this model and prompt version is not sent to the model again
    /// (deliveries are at least once and the model is paid per call): the stored analysis is
    /// announced again instead. Set `"reanalyze": true` in the detail to force a new call.
    /// A refusal that retrying cannot change (the API rejects the image) is recorded on the
    /// item and thrown; later attempts at the same version throw it again without a model call.
    /// - Returns: what was done.
    public func handle(_ event: Data, logger: Logger) async throws -> AnalysisResult {
        try await handle(EventDecoding.decode(AnalyzerEvent.self, from: event, what: Self.eventName), logger: logger)
    }

    /// Handles one decoded event; see ``handle(_:logger:)-(Data,_)``.
    public func handle(_ event: AnalyzerEvent, logger: Logger) async throws -> AnalysisResult {
        switch event {
        case .failed(let failed): return try await record(failed, logger: logger)
        case .processed(let detail, let reanalyze):
            return try await analyze(detail, reanalyze: reanalyze, logger: logger)
        }
    }

    private func analyze(_ detail: ImageProcessed, reanalyze: Bool, logger: Logger) async throws -> AnalysisResult {
        var logger = logger
        logger[metadataKey: "item_id"] = "\(detail.itemID.lowercasedString)"
        if let stale = try await recorder.staleness(bucket: detail.bucket, key: detail.originalKey, etag: detail.etag) {
            logger.info("ignored", metadata: ["reason": "\(stale)"])
            return AnalysisResult(ignored: stale)
        }
        if !reanalyze,
            let existing = try await store.existingAnalysis(
                itemID: detail.itemID, etag: detail.etag, model: model.modelID, promptVersion: model.promptVersion)
        {
            logger.info(
                "already analysed; announcing the stored analysis",
                metadata: ["analysis_id": "\(existing.lowercasedString)"])
            return AnalysisResult(analyzed: try await announce(detail.itemID, existing))
        }
        if !reanalyze,
            let failure = try await recorder.recordedRefusal(
                itemID: detail.itemID, etag: detail.etag, stage: "Analyzer")
        {
            throw AnalysisRefusal(failure: failure, repeated: true)
        }
        let renditionKey = detail.renditionKey ?? "\(configuration.renditionPrefix)\(detail.originalKey).jpg"
        let output: AnalysisOutput
        do {
            let rendition = try await storage.get(
                bucket: detail.bucket, key: renditionKey, maxBytes: configuration.maxRenditionBytes)
            output = try await model.analyze(
                AnalysisInput(
                    data: rendition.data, mediaType: rendition.contentType ?? "image/jpeg",
                    originalWidth: detail.width, originalHeight: detail.height))
        } catch {
            guard let code = AnalysisRefusal.permanentCode(of: error) else { throw error }
            let failure = ItemFailure(detail, stage: "Analyzer", code: code, message: "\(error)")
            if try await recorder.recordRefusal(failure) {
                logger.error("refused for good; recorded on the item", metadata: ["error": "\(error)"])
            }
            throw AnalysisRefusal(failure: failure, repeated: false)
        }
        EventMetrics.record(usage: output.usage, model: model.modelID)
        let record = AnalysisRecord(
            item: ItemRecord(detail), model: model.modelID, promptVersion: model.promptVersion, output: output)
        guard let analysisID = try await recorder.save(record) else {
            let reason = "superseded: a newer version of s3://\(detail.bucket)/\(detail.originalKey) is stored"
            logger.info("ignored", metadata: ["reason": "\(reason)"])
            return AnalysisResult(ignored: reason)
        }
        logger.info(
            "analysed",
            metadata: [
                "analysis_id": "\(analysisID.lowercasedString)", "model": "\(model.modelID)",
                "category": "\(output.analysis.category.rawValue)", "input_tokens": "\(output.usage.inputTokens)",
                "output_tokens": "\(output.usage.outputTokens)",
            ])
        return AnalysisResult(analyzed: try await announce(detail.itemID, analysisID))
    }

    /// An upload ImageProcessor refused: the recorder writes it on the item.
    private func record(_ failed: ImageFailed, logger: Logger) async throws -> AnalysisResult {
        var logger = logger
        logger[metadataKey: "item_id"] = "\(failed.itemID.lowercasedString)"
        switch try await recorder.record(failed, logger: logger) {
        case .recorded: return AnalysisResult(recordedFailure: failed.itemID)
        case .ignored(let reason): return AnalysisResult(ignored: reason)
        }
    }

    private func announce(_ itemID: UUID, _ analysisID: UUID) async throws -> ImageAnalyzed {
        let analyzed = ImageAnalyzed(
            itemID: itemID, analysisID: analysisID, model: model.modelID, promptVersion: model.promptVersion)
        try await bus.put([EventEntry(analyzed, eventBusName: configuration.eventBusName)])
        return analyzed
    }
}

/// What one Analyzer invocation did: exactly one of the fields is set.
public struct AnalysisResult: Encodable, Sendable, Equatable {
    /// The `ImageAnalyzed` detail sent.
    public var analyzed: ImageAnalyzed?
    /// The item whose failure was recorded.
    public var recordedFailure: UUID?
    /// Why the event was ignored (its version was replaced or deleted).
    public var ignored: String?

    /// Creates a result.
    public init(analyzed: ImageAnalyzed? = nil, recordedFailure: UUID? = nil, ignored: String? = nil) {
        self.analyzed = analyzed
        self.recordedFailure = recordedFailure
        self.ignored = ignored
    }

    enum CodingKeys: String, CodingKey {
        case analyzed
        case recordedFailure = "recorded_failure"
        case ignored
    }
}
