import Foundation
import Logging
import PipelineCore
import TestSupport
import Testing

/// A permanent API error (the Messages API stand-in answers 400 for an image it cannot process)
/// is not retried: it is recorded on the item, the invocation fails, and later attempts at the
/// same version fail at once without asking the model again.
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
                #expect("\(first.map { "\($0)" } ?? "")".contains("could not process image"))
                // The client did not retry the 400: one request reached the API.
                #expect(try await Self.messageRequests(url) == 1)

                // Lambda's two retries (and any redrive) fail at once, without a model call.
                for _ in 0..<2 {
                    let again = await #expect(throws: AnalysisRefusal.self) {
                        try await stage.handle(event, logger: logger)
                    }
                    #expect(again?.repeated == true)
                }
                #expect(try await Self.messageRequests(url) == 1)
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
                    #expect(message.contains("HTTP 400") && width == 800)
                }
                #expect(seen == 1)
            }
        }
    }

    static func messageRequests(_ url: String) async throws -> Int {
        let stats = try await StandInFaultTests.statistics(url)
        return (stats["requests"] as? [String: Int])?["/v1/messages"] ?? 0
    }
}
