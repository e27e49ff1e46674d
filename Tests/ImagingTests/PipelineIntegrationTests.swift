import Foundation
import Imaging
import Logging
import PipelineCore
import StandIns
import TestSupport
import Testing

/// The three stages in one process on real libvips and a real PostgreSQL + pgvector.
@Suite(.serialized, .enabled(if: TestEnvironment.databaseEnabled, "needs COLLECTIONS_TEST_DATABASE_URL (scripts/test)"))
struct PipelineIntegrationTests {
    private func pipeline(
        _ database: Database, root: URL,
        analysisModel: any AnalysisModel = PixelAnalysisModel(decoder: VipsPixelDecoder()),
        embeddingModel: any EmbeddingModel = HashingEmbedder()
    ) -> (InProcessPipeline, FileSystemObjectStore) {
        let storage = FileSystemObjectStore(root: root)
        let bus = InMemoryEventBus()
        let store = PostgresStore(database: database)
        let pipeline = InProcessPipeline(
            processor: ImageProcessingStage(
                configuration: .init(), storage: storage, bus: bus, renderer: VipsImageRenderer()),
            analyzer: AnalysisStage(
                configuration: .init(), storage: storage, bus: bus,
                model: analysisModel, store: store),
            embedder: EmbeddingStage(configuration: .init(), bus: bus, model: embeddingModel, store: store),
            bus: bus)
        return (pipeline, storage)
    }

    private func upload(_ names: [String], to storage: FileSystemObjectStore) async throws -> [Data] {
        var events: [Data] = []
        for (index, name) in names.enumerated() {
            let data = try TestEnvironment.data("fixtures/images/\(name)")
            let key = "tester/\(name)"
            try await storage.put(bucket: "photos", key: key, data: data, contentType: "image/jpeg")
            let etag = try await storage.get(bucket: "photos", key: key, maxBytes: .max).etag
            events.append(S3EventSamples.put(bucket: "photos", key: key, size: data.count, etag: etag, sequence: index))
        }
        return events
    }

    private func counts(_ database: Database) async throws -> [Int] {
        var result: [Int] = []
        for table in ["items", "analyses", "embeddings"] {
            result.append(try await ScratchDatabase.count(table, in: database))
        }
        return result
    }

    @Test func photosBecomeSearchableRowsAndReplaysChangeNothing() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("collections-test-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        try await ScratchDatabase.with("collections_test_pipeline") { database in
            let (pipeline, storage) = pipeline(database, root: root)
            let names = ["red.jpg", "green.jpg", "blue.jpg", "yellow.jpg", "exif-rotate-6.jpg", "truncated.jpg"]
            let events = try await upload(names, to: storage)
            let logger = Logger(label: "test")
            let first = await pipeline.run(uploadEvents: events, logger: logger)
            // The truncated JPEG fails in ImageProcessor: no thumbnail, no analysis, no vector; its
            // item row says it failed, where and why.
            guard case .failure(let error) = first.outcomes[5].processed else {
                Issue.record("truncated.jpg must fail")
                return
            }
            #expect("\(error)".contains("cannot decode the jpeg image"))
            #expect(
                !FileManager.default.fileExists(
                    atPath: try storage.path(bucket: "photos", key: "thumbnails/tester/truncated.jpg.jpg").path))
            #expect(try first.embedding.get().embedded.count == 5)
            #expect(try await counts(database) == [6, 5, 5])
            let failed = try await database.client.query(
                "SELECT status, error_stage, error_code, error FROM items WHERE object_key = 'tester/truncated.jpg'")
            for try await (status, stage, code, message) in failed.decode((String, String, String, String).self) {
                #expect(status == "failed" && stage == "ImageProcessor" && code == "corrupt")
                #expect(message.contains("cannot decode the jpeg image"))
            }

            let replay = await pipeline.run(uploadEvents: events, deliveries: 3, logger: logger)
            #expect(try replay.embedding.get().alreadyCurrent.count == 5)
            #expect(try await counts(database) == [6, 5, 5])

            let search = SearchRepository(database: database)
            let embedder = HashingEmbedder()
            for color in ["red", "green", "blue", "yellow"] {
                let query = try await embedder.embed([color], as: .query).vectors[0]
                let results = try await search.nearest(to: query, model: embedder.modelID, limit: 3)
                #expect(
                    results.first?.objectKey == "tester/\(color).jpg", "search \(color): \(results.map(\.objectKey))")
            }
        }
    }

    @Test func throughTheAPIClientsEveryPhotoIsAnalysedAndEmbeddedOnceDespiteFaults() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("collections-test-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        // 20% of requests fail: 429 with retry-after, 500, 529 and connections that hang.
        let faults = try FaultPlan(parsing: "429=0.08,500=0.04,529=0.04,hang=0.04,hang-for=3s,retry-after=5ms,seed=20")
        try await withStandIns(faults: faults) { url in
            try await ScratchDatabase.with("collections_test_pipeline_api") { database in
                let retry = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(5), maxDelay: .milliseconds(50))
                var claude = ClaudeConfiguration(apiKey: "sk-local")
                claude.baseURL = url
                claude.retry = retry
                claude.timeout = .milliseconds(800)
                var voyage = VoyageConfiguration(apiKey: "pa-local")
                voyage.baseURL = url
                voyage.retry = retry
                voyage.timeout = .milliseconds(800)
                let analysisModel = ClaudeAnalysisModel(configuration: claude)
                let embeddingModel = VoyageEmbeddingModel(configuration: voyage)
                let (pipeline, storage) = pipeline(
                    database, root: root, analysisModel: analysisModel, embeddingModel: embeddingModel)
                let names = ["red.jpg", "green.jpg", "blue.jpg", "yellow.jpg", "exif-rotate-6.jpg", "alpha.png"]
                let events = try await upload(names, to: storage)
                let run = await pipeline.run(uploadEvents: events, deliveries: 2, logger: Logger(label: "test"))
                #expect(try run.embedding.get().embedded.count == names.count)
                let ids = run.outcomes.flatMap { (try? $0.processed.get())?.map(\.itemID) ?? [] }
                let coverage = try await CoverageRepository(database: database).coverage(
                    of: ids, analysisModel: claude.model.id, promptVersion: analysisModel.promptVersion,
                    embeddingModel: voyage.model, dimensions: voyage.dimensions)
                #expect(coverage == Coverage(items: names.count, analysed: names.count, embedded: names.count))
                #expect(try await counts(database) == [6, 6, 6])
                let (usage, images) = try await UsageRepository(database: database).usage()
                #expect(images == 6 && usage.allSatisfy { $0.inputTokens > 0 })
                let stats = try await StandInStatistics.fetch(url)
                let injected = stats["faults"] as? [String: Int] ?? [:]
                for kind in ["429", "500", "529", "hang"] { #expect(injected[kind] ?? 0 > 0, "no \(kind): \(stats)") }
            }
        }
    }
}
