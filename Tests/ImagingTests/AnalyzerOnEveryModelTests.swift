import Foundation
import PipelineCore
import TestSupport
import Testing

/// The Analyzer binary analyses a real photo's rendition through the Messages API stand-in with
/// every model in the catalogue: each request is shaped so the stand-in, enforcing that model's
/// documented rules, accepts it, and each answer (thinking blocks first, or not) is read.
@Suite(.enabled(if: MotoServer.enabled && TestEnvironment.databaseEnabled))
struct AnalyzerOnEveryModelTests {
    @Test func everyCataloguedModelAnalysesAPhoto() async throws {
        let server = try MotoServer.requireVerifying()
        let s3 = S3Client(client: server.client(), endpoint: server.endpoint)
        let bucket = MotoServer.uniqueName("models")
        try await s3.createBucket(bucket)
        let photo = try TestEnvironment.data("fixtures/images/red.jpg")
        let key = "ana/red.jpg"
        try await s3.put(bucket: bucket, key: key, data: photo, contentType: "image/jpeg")
        try await s3.put(bucket: bucket, key: "renditions/\(key).jpg", data: photo, contentType: "image/jpeg")
        let etag = try await s3.head(bucket: bucket, key: key).etag
        let processed = ImageProcessed(
            itemID: ItemID.of(bucket: bucket, key: key), userID: "ana", bucket: bucket, originalKey: key,
            thumbnailKey: "thumbnails/\(key).jpg", contentType: "image/jpeg", width: 800, height: 600,
            bytes: photo.count, etag: etag, renditionKey: "renditions/\(key).jpg")
        let eventFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(bucket).json")
        try EventEntry(processed).delivered(id: "models", time: Date()).write(to: eventFile)
        defer { try? FileManager.default.removeItem(at: eventFile) }
        var environment = server.environment
        _ = try await server.busDeliveringToQueue(bucket)
        environment["COLLECTIONS_EVENT_BUS_NAME"] = bucket

        try await ScratchDatabase.with("analyzer_every_model") { database in
            environment["DATABASE_URL"] = try ScratchDatabase.url("analyzer_every_model")
            try await withStandIns { url in
                environment["ANTHROPIC_BASE_URL"] = url
                environment["ANTHROPIC_API_KEY"] = "sk-local"
                for model in ClaudeCatalogue.ids {
                    environment["COLLECTIONS_CLAUDE_MODEL"] = model
                    let outcome = try await Products.run(
                        "Analyzer", arguments: ["--event", eventFile.path], environment: environment)
                    #expect(outcome.status == 0, "\(model): \(outcome.stderr)")
                    #expect(outcome.stdout.contains(#""model":"\#(model)""#), "\(model): \(outcome.stdout)")
                }
            }
            let rows = try await database.client.query(
                "SELECT model, thinking_tokens, output_tokens FROM analyses ORDER BY model")
            var seen: [String: (thinking: Int, output: Int)] = [:]
            for try await (model, thinking, output) in rows.decode((String, Int, Int).self) {
                seen[model] = (thinking, output)
            }
            #expect(Set(seen.keys) == Set(ClaudeCatalogue.ids))
            // Thinking is paid for only where the model cannot turn it off.
            for (model, usage) in seen {
                let thinks = ["claude-fable-5-2", "claude-fable-5-1", "claude-opus-5-5"].contains(model)
                #expect((usage.thinking > 0) == thinks, "\(model): \(usage)")
                #expect(usage.thinking < usage.output, "\(model)")
            }
        }
    }
}
