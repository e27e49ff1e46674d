import Foundation
import Logging
import PipelineCore
import TestSupport
import Testing

/// Permanence is typed (``FailureClassifier``): the model's refusal is the image's fault and is
/// recorded on the item once, after which later attempts at the same version fail at once
/// without asking the model again; a 400 from the API (here the stand-in's answer to bytes it
/// cannot decode) is our request's fault whatever its message says: not retried by the client,
/// never recorded on the item, so the event is retried or dead-lettered.
@Suite(.enabled(if: MotoServer.enabled && TestEnvironment.databaseEnabled, "needs moto and PostgreSQL"))
struct PermanentRefusalTests {
    @Test func aRefusedImageIsRecordedOnceAndNeverAskedAgain() async throws {
        let (s3, event, key) = try await Self.undecodableUpload()
        try await ScratchDatabase.with("collections_test_refusal") { (database: Database) async throws in
            let model = RefusingModel()
            let stage = AnalysisStage(
                configuration: .init(), storage: s3, bus: InMemoryEventBus(), model: model,
                store: PostgresStore(database: database))
            let logger = Logger(label: "refusal")
            let first = await #expect(throws: AnalysisRefusal.self) { try await stage.handle(event, logger: logger) }
            #expect(first?.repeated == false)
            #expect(first?.failure.upload.errorCode == "refused")
            // Lambda's two retries (and any redrive) fail at once, without a model call.
            for _ in 0..<2 {
                let again = await #expect(throws: AnalysisRefusal.self) {
                    try await stage.handle(event, logger: logger)
                }
                #expect(again?.repeated == true)
            }
            #expect(model.calls.count == 1)
            #expect(try await Self.itemStates(key, database) == ["failed/Analyzer/refused"])
        }
    }

    @Test func anAPIRejectionIsNotTheImagesFault() async throws {
        let (s3, event, key) = try await Self.undecodableUpload()
        try await withStandIns { (url: String) async throws in
            try await ScratchDatabase.with("collections_test_rejection") { (database: Database) async throws in
                var claude = ClaudeConfiguration(apiKey: "sk-local")
                claude.baseURL = url
                claude.retry = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
                let bus = InMemoryEventBus()
                let stage = AnalysisStage(
                    configuration: .init(), storage: s3, bus: bus, model: ClaudeAnalysisModel(configuration: claude),
                    store: PostgresStore(database: database))
                let logger = Logger(label: "rejection")
                for attempt in 1...2 {
                    let error = await #expect(throws: ClaudeError.self) {
                        try await stage.handle(event, logger: logger)
                    }
                    #expect(error?.status == 400 && error.map(FailureClassifier.kind(of:)) == .rejected)
                    // The client did not retry the 400, and nothing stops the next attempt from asking.
                    #expect(try await Self.messageRequests(url) == attempt)
                }
                #expect(bus.entries.isEmpty, "no ImageAnalyzed for a rejected request")
                #expect(try await ScratchDatabase.count("analyses", in: database) == 0)
                #expect(try await Self.itemStates(key, database).allSatisfy { !$0.hasPrefix("failed") })
            }
        }
    }

    /// An upload and its rendition in moto, both bytes no decoder accepts, and its `ImageProcessed` event.
    static func undecodableUpload() async throws -> (S3Client, Data, String) {
        let server = try MotoServer.requireOpen()
        let s3 = S3Client(client: server.client(), endpoint: server.endpoint)
        let bucket = MotoServer.uniqueName("refusals")
        try await s3.createBucket(bucket)
        let bytes = try TestEnvironment.data("fixtures/images/truncated.jpg").prefix(400)
        let key = "eve/refused by the model.jpg"
        try await s3.put(bucket: bucket, key: key, data: Data(bytes), contentType: "image/jpeg")
        try await s3.put(bucket: bucket, key: "renditions/\(key).jpg", data: Data(bytes), contentType: "image/jpeg")
        let etag = try await s3.head(bucket: bucket, key: key).etag
        let processed = ImageProcessed(
            itemID: ItemID.of(bucket: bucket, key: key), userID: "eve", bucket: bucket, originalKey: key,
            thumbnailKey: "thumbnails/\(key).jpg", contentType: "image/jpeg", width: 800, height: 600,
            bytes: bytes.count, etag: etag, renditionKey: "renditions/\(key).jpg")
        return (s3, try EventEntry(processed).delivered(id: "refusal", time: Date()), key)
    }

    /// `status/stage/code` of the item rows for `key`.
    static func itemStates(_ key: String, _ database: Database) async throws -> [String] {
        let rows = try await database.client.query(
            "SELECT status, coalesce(error_stage, ''), coalesce(error_code, '') FROM items WHERE object_key = \(key)")
        var states: [String] = []
        for try await (status, stage, code) in rows.decode((String, String, String).self) {
            states.append("\(status)/\(stage)/\(code)")
        }
        return states
    }

    static func messageRequests(_ url: String) async throws -> Int {
        let stats = try await StandInFaultTests.statistics(url)
        return (stats["requests"] as? [String: Int])?["/v1/messages"] ?? 0
    }
}

/// A model that declines every image, as Claude's `stop_reason: refusal` does.
private final class RefusingModel: AnalysisModel {
    let modelID = "refusing"
    let promptVersion = "1"
    let calls = Recorder<Int>()

    func analyze(_ image: AnalysisInput) async throws -> AnalysisOutput {
        calls.append(1)
        throw ClaudeError(.refused, "the model declined to describe the image", status: 200)
    }
}
