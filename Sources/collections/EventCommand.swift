import ArgumentParser
import Foundation
import PipelineCore
import PostgresNIO

/// `collections event`: a `put-events` entries file that replays one stage for one item.
struct EventCommand: AsyncParsableCommand {
    /// The stage to run again.
    enum Stage: String, ExpressibleByArgument, CaseIterable {
        /// `Object Created` from `collections.replay`: ImageProcessor again.
        case objectCreated = "object-created"
        /// `ImageProcessed`: the Analyzer again.
        case imageProcessed = "image-processed"
        /// `ImageAnalyzed` for the latest analysis: the Embedder again.
        case imageAnalyzed = "image-analyzed"
    }

    static let configuration = CommandConfiguration(
        commandName: "event",
        abstract: "Print a put-events entries file that runs one stage again for one stored item.",
        discussion: """
            collections event image-processed me/photo.jpg > replay.json
            aws events put-events --entries file://replay.json
            """)

    @Argument(help: "object-created (ImageProcessor), image-processed (Analyzer) or image-analyzed (Embedder).")
    var stage: Stage
    @Argument(help: "The item's object key, such as me/photo.jpg, or its item id.") var item: String
    @Option(help: "The event bus (default: the local stack's, else $COLLECTIONS_EVENT_BUS_NAME, else collections).")
    var bus: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await CommandContext(options: database).run { context in
            let bus = bus ?? context.stack?.bus ?? context.settings.eventBusName ?? "collections"
            let entry = try await entry(context.database, bus: bus)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode([entry]), as: UTF8.self))
        }
    }

    private func entry(_ database: Database, bus: String) async throws -> EventEntry {
        let rows = try await database.client.query(
            """
            SELECT i.item_id, i.user_id, i.bucket, i.object_key, i.thumbnail_key, i.content_type, i.width, i.height,
                i.bytes, i.etag, i.rendition_key, i.version_id, i.format, a.analysis_id, a.model, a.prompt_version,
                i.status, i.error_stage, i.error
            FROM items i LEFT JOIN latest_analyses a USING (item_id)
            WHERE i.object_key = \(item) OR i.item_id::text = \(item.lowercased())
            ORDER BY i.bucket LIMIT 1
            """)
        for try await row in rows {
            let columns = row.makeRandomAccess()
            func column<T: PostgresDecodable>(_ name: String, _ type: T.Type) throws -> T {
                try columns[name].decode(T.self, context: .default)
            }
            if try column("status", String.self) == "failed", try column("thumbnail_key", String?.self) == nil {
                let stage = try column("error_stage", String?.self) ?? "?"
                let error = try column("error", String?.self) ?? ""
                throw ValidationError(
                    "\(item) failed in \(stage) (\(error)) and has no thumbnail: upload it again to reprocess it")
            }
            let (id, key, bytes, etag) = (
                try column("item_id", UUID.self), try column("object_key", String.self), try column("bytes", Int.self),
                try column("etag", String.self)
            )
            let (bucket, version) = (try column("bucket", String.self), try column("version_id", String?.self))
            switch stage {
            case .objectCreated:
                var object: [String: Any] = ["key": key, "size": bytes, "etag": etag]
                if let version { object["version-id"] = version }
                let detail: [String: Any] = [
                    "version": "0", "bucket": ["name": bucket], "object": object, "reason": "PutObject",
                ]
                let text = String(
                    decoding: try JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys]), as: UTF8.self)
                return EventEntry(
                    source: UploadEventParser.replaySource, detailType: "Object Created", detail: text,
                    eventBusName: bus)
            case .imageProcessed:
                return try EventEntry(
                    ImageProcessed(
                        itemID: id, userID: try column("user_id", String.self), bucket: bucket, originalKey: key,
                        thumbnailKey: try column("thumbnail_key", String.self),
                        contentType: try column("content_type", String.self), width: try column("width", Int.self),
                        height: try column("height", Int.self), bytes: bytes, etag: etag,
                        renditionKey: try column("rendition_key", String?.self), versionID: version,
                        format: try column("format", String?.self)),
                    eventBusName: bus)
            case .imageAnalyzed:
                guard let analysisID = try column("analysis_id", UUID?.self),
                    let model = try column("model", String?.self),
                    let prompt = try column("prompt_version", String?.self)
                else {
                    throw ValidationError("\(item) has no analysis yet: replay image-processed first")
                }
                return try EventEntry(
                    ImageAnalyzed(itemID: id, analysisID: analysisID, model: model, promptVersion: prompt),
                    eventBusName: bus)
            }
        }
        throw ValidationError("no item with object key or id \(item)")
    }
}
