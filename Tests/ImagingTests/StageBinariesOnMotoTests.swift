import Foundation
import Imaging
import PipelineCore
import TestSupport
import Testing

/// The stage binaries against moto's S3 and EventBridge (signatures verified), a real PostgreSQL
/// and the Messages API stand-in: an upload becomes a thumbnail in S3, an analysis and a vector,
/// and each stage's event is delivered by an SQS-targeted rule.
@Suite(.enabled(if: MotoServer.enabled && TestEnvironment.databaseEnabled))
struct StageBinariesOnMotoTests {
    @Test func anUploadFlowsThroughTheBinariesOnMoto() async throws {
        let server = try MotoServer.requireVerifying()
        let bus = MotoServer.uniqueName("stages")
        let queue = try await server.busDeliveringToQueue(bus)
        let s3 = S3Client(client: server.client(), endpoint: server.endpoint)
        // The bucket and key events/s3-put.json names.
        try await s3.createBucket("collections-local")
        let original = try TestEnvironment.data("fixtures/images/red.jpg")
        try await s3.put(bucket: "collections-local", key: "demo/red.jpg", data: original, contentType: "image/jpeg")
        var environment = server.environment
        environment["COLLECTIONS_EVENT_BUS_NAME"] = bus

        // ImageProcessor: reads the upload, writes thumbnail and rendition, sends ImageProcessed.
        let processing = try await Products.run(
            "ImageProcessor", arguments: ["--event", "events/s3-put.json"], environment: environment)
        #expect(processing.status == 0, "stderr: \(processing.stderr)")
        let processedEvents = try await server.receive(1, from: queue)
        try #require(processedEvents.count == 1)
        let processed = try ImageProcessed.decodeEvent(from: Data(processedEvents[0].utf8))
        #expect(processed.originalKey == "demo/red.jpg")
        #expect(processed.etag == (try await s3.head(bucket: "collections-local", key: "demo/red.jpg")).etag)
        let thumbnail = try await s3.head(bucket: "collections-local", key: processed.thumbnailKey)
        #expect(thumbnail.contentType == "image/jpeg" && thumbnail.size > 0)
        let renditionKey = try #require(processed.renditionKey)
        _ = try await s3.get(bucket: "collections-local", key: renditionKey, maxBytes: 5 << 20)

        try await ScratchDatabase.with("stage_binaries_moto") { database in
            // Analyzer: reads the rendition from S3, asks the Messages API stand-in, stores the
            // analysis, sends ImageAnalyzed.
            environment["DATABASE_URL"] = try ScratchDatabase.url("stage_binaries_moto")
            let processedFile = FileManager.default.temporaryDirectory.appendingPathComponent("processed-\(bus).json")
            try Data(processedEvents[0].utf8).write(to: processedFile)
            defer { try? FileManager.default.removeItem(at: processedFile) }
            let analyzing = try await withStandIns { url in
                var analyzerEnvironment = environment
                analyzerEnvironment["ANTHROPIC_BASE_URL"] = url
                analyzerEnvironment["ANTHROPIC_API_KEY"] = "sk-local"
                return try await Products.run(
                    "Analyzer", arguments: ["--event", processedFile.path], environment: analyzerEnvironment)
            }
            #expect(analyzing.status == 0, "stderr: \(analyzing.stderr)")
            #expect(analyzing.stdout.contains(#""model":"claude-haiku-5-5""#), "stdout: \(analyzing.stdout)")
            let analyzedEvents = try await server.receive(1, from: queue)
            try #require(analyzedEvents.count == 1)

            // Embedder: reads the analysis, writes the vector, sends ItemEmbedded.
            let event = FileManager.default.temporaryDirectory.appendingPathComponent("analyzed-\(bus).json")
            try Data(analyzedEvents[0].utf8).write(to: event)
            defer { try? FileManager.default.removeItem(at: event) }
            let embedding = try await withStandIns { url in
                var embedderEnvironment = environment
                embedderEnvironment["VOYAGE_BASE_URL"] = url
                embedderEnvironment["VOYAGE_API_KEY"] = "pa-local"
                return try await Products.run(
                    "Embedder", arguments: ["--event", event.path], environment: embedderEnvironment)
            }
            #expect(embedding.status == 0, "stderr: \(embedding.stderr)")
            #expect(embedding.stdout.contains("embedded"), "stdout: \(embedding.stdout)")
            let embeddedEvents = try await server.receive(1, from: queue)
            try #require(embeddedEvents.count == 1)
            let embedded = try ItemEmbedded.decodeEvent(from: Data(embeddedEvents[0].utf8))
            #expect(embedded.itemID == processed.itemID && embedded.embeddingModel == "voyage-4")
            #expect(try await ScratchDatabase.count("embeddings", in: database) == 1)
            #expect(try await ScratchDatabase.count("analyses", in: database) == 1)
        }
    }

    @Test func aMissingObjectFailsWithTheErrorJSON() async throws {
        let server = try MotoServer.requireVerifying()
        let s3 = S3Client(client: server.client(), endpoint: server.endpoint)
        let bucket = MotoServer.uniqueName("empty")
        try await s3.createBucket(bucket)
        let event = FileManager.default.temporaryDirectory.appendingPathComponent("missing-\(bucket).json")
        try S3EventSamples.put(bucket: bucket, key: "demo/none.jpg", size: 10, etag: "e").write(to: event)
        defer { try? FileManager.default.removeItem(at: event) }
        let outcome = try await Products.run(
            "ImageProcessor", arguments: ["--event", event.path], environment: server.environment)
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains(#""errorType":"#))
        #expect(outcome.stdout.contains("does not exist"), "stdout: \(outcome.stdout)")
    }
}
