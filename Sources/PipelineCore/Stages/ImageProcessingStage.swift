import Foundation
import Logging

/// Stage 1: from an S3 upload event to a stored thumbnail and rendition and an `ImageProcessed` event.
public struct ImageProcessingStage: EventStage {
    public typealias Event = UploadEvent
    public typealias Output = ImageProcessingResult
    public static let eventName = "upload event"

    /// An upload event whose objects were all skipped (replaced, deleted, or our own outputs).
    public static func isIgnored(_ output: ImageProcessingResult) -> Bool {
        output.processed.isEmpty && !output.ignored.isEmpty
    }

    /// Where outputs go and which inputs are refused.
    public struct Configuration: Sendable {
        /// Prefix of thumbnail keys.
        public var thumbnailPrefix = "thumbnails/"
        /// Prefix of analysis rendition keys.
        public var renditionPrefix = "renditions/"
        /// The bus `ImageProcessed` goes to; nil for the client's default.
        public var eventBusName: String?
        /// Largest original read from storage, in bytes.
        public var maxInputBytes = ImagingOptions().maxInputBytes

        /// The defaults.
        public init() {}

        /// The prefixes this stage writes under, which must never trigger it.
        public var outputPrefixes: [String] { [thumbnailPrefix, renditionPrefix] }
    }

    private let configuration: Configuration
    private let storage: any ObjectStore
    private let bus: any EventBus
    private let renderer: any ImageRenderer
    private let parser: UploadEventParser

    /// Wires the stage.
    public init(configuration: Configuration, storage: any ObjectStore, bus: any EventBus, renderer: any ImageRenderer)
    {
        self.configuration = configuration
        self.storage = storage
        self.bus = bus
        self.renderer = renderer
        self.parser = UploadEventParser(ignoredPrefixes: configuration.outputPrefixes)
    }

    /// Handles one upload event, which may name several objects.
    ///
    /// Every object is attempted; if any fails, the others are still processed and the error
    /// thrown at the end names each failed key, so a retry redoes only idempotent work.
    /// - Parameters:
    ///   - event: the event JSON as delivered.
    ///   - logger: the invocation's logger.
    /// - Returns: what was processed and what was skipped.
    public func handle(_ event: Data, logger: Logger) async throws -> ImageProcessingResult {
        try await handle(EventDecoding.decode(UploadEvent.self, from: event, what: Self.eventName), logger: logger)
    }

    /// Handles one decoded upload event; see ``handle(_:logger:)-(Data,_)``.
    public func handle(_ event: UploadEvent, logger: Logger) async throws -> ImageProcessingResult {
        var result = ImageProcessingResult()
        var failures: [(String, any Error)] = []
        for decision in try parser.decide(event) {
            switch decision {
            case .ignore(let reason):
                logger.info("ignored", metadata: ["reason": "\(reason)"])
                result.ignored.append(reason)
            case .process(let object):
                do {
                    result.processed.append(try await process(object, logger: logger))
                } catch let error as ObjectStoreError where error.code == .changed {
                    // A newer upload replaced this version: its own event processes it.
                    let reason = "superseded: \(error.message)"
                    logger.info("ignored", metadata: ["reason": "\(reason)"])
                    result.ignored.append(reason)
                } catch {
                    logger.error(
                        "processing failed", metadata: ["key": "\(object.key)", "error": "\(error)"])
                    await reportRefusal(of: object, error, logger: logger)
                    failures.append(("s3://\(object.bucket)/\(object.key)", error))
                }
            }
        }
        if !failures.isEmpty {
            throw StageError(failures: failures)
        }
        return result
    }

    private func process(_ object: S3ObjectReference, logger: Logger) async throws -> ImageProcessed {
        let userID = try object.userID()
        let original = try await storage.get(
            bucket: object.bucket, key: object.key, maxBytes: configuration.maxInputBytes, ifMatch: object.etag)
        let rendered = try renderer.render(original.data)
        let itemID = ItemID.of(bucket: object.bucket, key: object.key)
        let thumbnailKey = outputKey(
            configuration.thumbnailPrefix, object.key, userID, itemID, rendered.thumbnail.fileExtension)
        let renditionKey = outputKey(
            configuration.renditionPrefix, object.key, userID, itemID, rendered.rendition.fileExtension)
        // The two uploads are independent: one round trip instead of two. The event waits for both.
        async let renditionStored: Void = storage.put(
            bucket: object.bucket, key: renditionKey, data: rendered.rendition.data,
            contentType: rendered.rendition.contentType)
        async let thumbnailStored: Void = storage.put(
            bucket: object.bucket, key: thumbnailKey, data: rendered.thumbnail.data,
            contentType: rendered.thumbnail.contentType)
        _ = try await (renditionStored, thumbnailStored)
        let metadata = rendered.metadata
        let detail = ImageProcessed(
            itemID: itemID, userID: userID, bucket: object.bucket, originalKey: object.key,
            thumbnailKey: thumbnailKey, contentType: metadata.contentType, width: metadata.width,
            height: metadata.height, bytes: metadata.bytes, etag: original.etag, renditionKey: renditionKey,
            versionID: object.versionID, sequencer: object.sequencer, format: metadata.format,
            orientation: metadata.orientation)
        try await bus.put([EventEntry(detail, eventBusName: configuration.eventBusName)])
        logger.info(
            "processed",
            metadata: [
                "key": "\(object.key)", "item_id": "\(itemID.lowercasedString)", "width": "\(metadata.width)",
                "height": "\(metadata.height)", "thumbnail_key": "\(thumbnailKey)",
            ])
        return detail
    }

    /// Announces `ImageFailed` when `error` refuses the upload for good, so the failure is
    /// recorded on the item. Transient failures (S3 or the bus unreachable) are only retried.
    private func reportRefusal(of object: S3ObjectReference, _ error: any Error, logger: Logger) async {
        guard let code = Self.permanentCode(of: error), let userID = try? object.userID() else { return }
        let failed = ImageFailed(
            itemID: ItemID.of(bucket: object.bucket, key: object.key), userID: userID, bucket: object.bucket,
            originalKey: object.key, etag: object.etag, bytes: object.size, versionID: object.versionID,
            sequencer: object.sequencer, stage: "ImageProcessor", errorCode: code, errorMessage: "\(error)")
        do {
            try await bus.put([EventEntry(failed, eventBusName: configuration.eventBusName)])
        } catch {
            logger.error("could not announce the failure", metadata: ["error": "\(error)"])
        }
    }

    /// The error code of a failure that retrying cannot fix, or nil for one that it might, as
    /// ``FailureClassifier`` says; an original over the size limit is `tooManyBytes`.
    static func permanentCode(of error: any Error) -> String? {
        FailureClassifier.permanentCode(
            of: error, renaming: ["tooLarge": ImagingError.Code.tooManyBytes.description])
    }

    /// `prefix + key + "." + ext`, or `prefix + user/item_id.ext` when that would pass S3's 1024-byte key limit.
    func outputKey(_ prefix: String, _ key: String, _ userID: String, _ itemID: UUID, _ ext: String) -> String {
        let readable = "\(prefix)\(key).\(ext)"
        if readable.utf8.count <= 1024 { return readable }
        return "\(prefix)\(userID)/\(itemID.lowercasedString).\(ext)"
    }
}

/// What one ImageProcessor invocation did.
public struct ImageProcessingResult: Encodable, Sendable {
    /// The events sent, one per processed object.
    public var processed: [ImageProcessed] = []
    /// Why other objects were skipped.
    public var ignored: [String] = []
}
