import Foundation
import Logging
import PipelineCore
import TestSupport
import Testing

/// Permanence is typed (``FailureClassifier``): the model's refusal, and a rendition the client
/// finds the API would refuse (here truncated), are the image's fault and are recorded on the item
/// once, after which later attempts at the same version fail at once without asking the model
/// again; a 400 from the API (bytes it cannot decode, or a request shape it refuses) is our
/// request's fault whatever its message says: not retried by the client, never recorded on the
/// item, so the event is retried or dead-lettered.
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
        let (s3, event, key) = try await Self.undecodableUpload(Self.garbledJPEG)
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

    /// Bytes that look like a whole JPEG to the client (its signature and end marker) that no
    /// decoder accepts: the API answers them with a 400.
    static let garbledJPEG = Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data(repeating: 0x41, count: 400) + Data([0xFF, 0xD9])

    /// An upload and its rendition in moto, both `bytes` (by default a truncated JPEG), and its
    /// `ImageProcessed` event.
    static func undecodableUpload(_ bytes: Data? = nil) async throws -> (S3Client, Data, String) {
        let server = try MotoServer.requireOpen()
        let s3 = S3Client(client: server.client(), endpoint: server.endpoint)
        let bucket = MotoServer.uniqueName("refusals")
        try await s3.createBucket(bucket)
        let bytes = try bytes ?? TestEnvironment.data("fixtures/images/truncated.jpg").prefix(400)
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

    @Test func aTruncatedRenditionIsRejectedBeforeAnyCallAndRecordedOnce() async throws {
        let (s3, event, key) = try await Self.undecodableUpload()
        try await withStandIns { (url: String) async throws in
            try await ScratchDatabase.with("collections_test_truncated") { (database: Database) async throws in
                var claude = ClaudeConfiguration(apiKey: "sk-local")
                claude.baseURL = url
                let bus = InMemoryEventBus()
                let stage = AnalysisStage(
                    configuration: .init(), storage: s3, bus: bus, model: ClaudeAnalysisModel(configuration: claude),
                    store: PostgresStore(database: database))
                let logger = Logger(label: "truncated")
                let first = await #expect(throws: AnalysisRefusal.self) {
                    try await stage.handle(event, logger: logger)
                }
                #expect(first?.repeated == false)
                #expect(first?.failure.upload.errorCode == "imageRejected")
                #expect("\(first.map { "\($0)" } ?? "")".contains("truncated"))
                for _ in 0..<2 {
                    let again = await #expect(throws: AnalysisRefusal.self) {
                        try await stage.handle(event, logger: logger)
                    }
                    #expect(again?.repeated == true)
                }
                // Refused before any call: no request reached the API, now or on the retries.
                #expect(try await Self.messageRequests(url) == 0)
                #expect(bus.entries.isEmpty, "no ImageAnalyzed for a refused image")
                #expect(try await Self.itemStates(key, database) == ["failed/Analyzer/imageRejected"])
            }
        }
    }

    @Test func aRequestShapeTheAPIRefusesIsNeverTheImagesFault() async throws {
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
        try await withStandIns { (url: String) async throws in
            try await ScratchDatabase.with("collections_test_request_shape") { (database: Database) async throws in
                var claude = ClaudeConfiguration(apiKey: "sk-local", model: wrong)
                claude.baseURL = url
                let stage = AnalysisStage(
                    configuration: .init(), storage: s3, bus: InMemoryEventBus(),
                    model: ClaudeAnalysisModel(configuration: claude), store: PostgresStore(database: database))
                let error = await #expect(throws: ClaudeError.self) {
                    try await stage.handle(event, logger: Logger(label: "shape"))
                }
                #expect(error?.status == 400 && error?.errorType == "invalid_request_error")
                #expect(error.map(FailureClassifier.kind(of:)) == .rejected)
                // Nothing recorded: no failed item, no analysis; Lambda's retries will ask again.
                let items = try await ScratchDatabase.count("items", in: database)
                let analyses = try await ScratchDatabase.count("analyses", in: database)
                #expect(items == 0 && analyses == 0)
            }
        }
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
        let stats = try await StandInStatistics.fetch(url)
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
