import Foundation
import Logging
import PipelineCore
import TestSupport
import Testing

/// An image the API would refuse (here a truncated JPEG, which the client finds before any call)
/// is the image's fault: it is recorded on the item, the invocation fails, and later attempts at
/// the same version fail at once without asking the model. A 400 the API gives for our request's
/// shape is never recorded as the image's fault: it stays retryable once the request is fixed.
@Suite(.enabled(if: MotoServer.enabled && TestEnvironment.databaseEnabled, "needs moto and PostgreSQL"))
struct PermanentRefusalTests {
    @Test func aRejectedImageIsRecordedOnceAndNeverRetried() async throws {
        let server = try MotoServer.requireOpen()
        let s3 = S3Client(client: server.client(), endpoint: server.endpoint)
        let bucket = MotoServer.uniqueName("refusals")
        try await s3.createBucket(bucket)
        // Bytes the API cannot decode, as original and as rendition.
        let bytes = try TestEnvironment.data("fixtures/images/truncated.jpg").prefix(400)
        let key = "eve/refused by the model.jpg"
        try await s3.put(bucket: bucket, key: key, data: Data(bytes), contentType: "image/jpeg")
        try await s3.put(bucket: bucket, key: "renditions/\(key).jpg", data: Data(bytes), contentType: "image/jpeg")
        let etag = try await s3.head(bucket: bucket, key: key).etag
        let processed = ImageProcessed(
            itemID: ItemID.of(bucket: bucket, key: key), userID: "eve", bucket: bucket, originalKey: key,
            thumbnailKey: "thumbnails/\(key).jpg", contentType: "image/jpeg", width: 800, height: 600,
            bytes: bytes.count, etag: etag, renditionKey: "renditions/\(key).jpg")
        let event = try EventEntry(processed).delivered(id: "refusal", time: Date())

        try await withStandIns { url in
            try await ScratchDatabase.with("collections_test_refusal") { database in
                var claude = ClaudeConfiguration(apiKey: "sk-local")
                claude.baseURL = url
                claude.retry = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
                let bus = InMemoryEventBus()
                let stage = AnalysisStage(
                    configuration: .init(), storage: s3, bus: bus, model: ClaudeAnalysisModel(configuration: claude),
                    store: PostgresStore(database: database))
                let logger = Logger(label: "refusal")

                let first = await #expect(throws: AnalysisRefusal.self) {
                    try await stage.handle(event, logger: logger)
                }
                #expect(first?.repeated == false)
                #expect(first?.failure.upload.errorCode == "imageRejected")
                #expect("\(first.map { "\($0)" } ?? "")".contains("truncated"))
                // Refused before any call: no request reached the API.
                #expect(try await Self.messageRequests(url) == 0)

                // Lambda's two retries (and any redrive) fail at once, without a model call.
                for _ in 0..<2 {
                    let again = await #expect(throws: AnalysisRefusal.self) {
                        try await stage.handle(event, logger: logger)
                    }
                    #expect(again?.repeated == true)
                }
                #expect(try await Self.messageRequests(url) == 0)
                #expect(bus.entries.isEmpty, "no ImageAnalyzed for a refused image")
                #expect(try await ScratchDatabase.count("analyses", in: database) == 0)
                let rows = try await database.client.query(
                    "SELECT status, error_stage, error_code, error, width FROM items WHERE object_key = \(key)")
                var seen = 0
                for try await (status, stage, code, message, width) in rows.decode(
                    (String, String, String, String, Int?).self)
                {
                    seen += 1
                    #expect(status == "failed" && stage == "Analyzer" && code == "imageRejected")
                    #expect(message.contains("end-of-image marker") && width == 800)
                }
                #expect(seen == 1)
            }
        }
    }

    @Test func aRequestTheAPIRefusesIsNeverTheImagesFault() async throws {
        let server = try MotoServer.requireOpen()
        let s3 = S3Client(client: server.client(), endpoint: server.endpoint)
        let (_, processed) = try await ProcessedUpload.make(
            try TestEnvironment.data("fixtures/images/red.jpg"), key: "eve/fine.jpg", bucketPrefix: "shapes", s3: s3)
        let event = try EventEntry(processed).delivered(id: "shape", time: Date())
        // A catalogue entry gone wrong: Sonnet 5.5 believed to take a forced tool, as we once did.
        var wrong = try #require(ClaudeCatalogue.model("claude-sonnet-5-5"))
        wrong.structuredOutputs = false
        wrong.forcedToolUse = true
        wrong.thinking = ThinkingRules(accepted: [.adaptive, .disabled], onByDefault: true, offOnlyUpTo: nil)

        try await withStandIns { url in
            try await ScratchDatabase.with("collections_test_request_shape") { database in
                var claude = ClaudeConfiguration(apiKey: "sk-local", model: wrong)
                claude.baseURL = url
                let stage = AnalysisStage(
                    configuration: .init(), storage: s3, bus: InMemoryEventBus(),
                    model: ClaudeAnalysisModel(configuration: claude), store: PostgresStore(database: database))
                let error = await #expect(throws: ClaudeError.self) {
                    try await stage.handle(event, logger: Logger(label: "shape"))
                }
                #expect(error?.status == 400 && error?.errorType == "invalid_request_error")
                // Nothing recorded: no failed item, no analysis; Lambda's retries will ask again.
                let items = try await ScratchDatabase.count("items", in: database)
                let analyses = try await ScratchDatabase.count("analyses", in: database)
                #expect(items == 0 && analyses == 0)
            }
        }
    }

    static func messageRequests(_ url: String) async throws -> Int {
        let stats = try await StandInStatistics.fetch(url)
        return (stats["requests"] as? [String: Int])?["/v1/messages"] ?? 0
    }
}
