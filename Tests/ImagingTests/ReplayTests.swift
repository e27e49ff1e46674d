import Foundation
import Imaging
import Logging
import PipelineCore
import StandIns
import Synchronization
import TestSupport
import Testing

/// At-least-once delivery on real parts: moto's S3 (with its `If-Match`), real libvips and a real
/// PostgreSQL. Every event is delivered three times in a shuffled order, stage by stage.
@Suite(.enabled(if: MotoServer.enabled && TestEnvironment.databaseEnabled, "needs moto and PostgreSQL"))
struct ReplayTests {
    /// Counts model calls per item version (ETag), around the offline pixel model.
    final class CountingAnalysisModel: AnalysisModel {
        let inner = PixelAnalysisModel(decoder: VipsPixelDecoder())
        let calls = Mutex([String: Int]())
        var modelID: String { inner.modelID }
        var promptVersion: String { inner.promptVersion }

        func analyze(_ image: AnalysisInput) async throws -> AnalysisOutput {
            calls.withLock { $0["\(image.originalWidth)x\(image.originalHeight)", default: 0] += 1 }
            return try await inner.analyze(image)
        }
    }

    struct Pipeline {
        let processor: ImageProcessingStage
        let analyzer: AnalysisStage
        let embedder: EmbeddingStage
        let bus: InMemoryEventBus
        let model: CountingAnalysisModel
        let logger = Logger(label: "replay")

        init(s3: S3Client, database: Database) {
            bus = InMemoryEventBus()
            model = CountingAnalysisModel()
            let store = PostgresStore(database: database)
            processor = ImageProcessingStage(
                configuration: .init(), storage: s3, bus: bus, renderer: VipsImageRenderer())
            analyzer = AnalysisStage(configuration: .init(), storage: s3, bus: bus, model: model, store: store)
            embedder = EmbeddingStage(configuration: .init(), bus: bus, model: HashingEmbedder(), store: store)
        }

        /// Delivers each event `times` times in a shuffled order to `handle`; returns what the stage sent.
        func deliver(
            _ events: [Data], times: Int, using generator: inout some RandomNumberGenerator,
            _ handle: (Data) async throws -> Void
        ) async throws -> [Data] {
            for event in events.flatMap({ Array(repeating: $0, count: times) }).shuffled(using: &generator) {
                try await handle(event)
            }
            return bus.drain().map { $0.delivered(id: UUID().uuidString, time: Date()) }
        }

        /// Runs the three stages over the upload events; returns each stage's output events.
        func run(
            _ uploads: [Data], times: Int, using generator: inout some RandomNumberGenerator
        ) async throws -> (processed: [Data], analyzed: [Data]) {
            let processed = try await deliver(uploads, times: times, using: &generator) {
                _ = try await processor.handle($0, logger: logger)
            }
            let analyzed = try await deliver(processed, times: times, using: &generator) {
                _ = try await analyzer.handle($0, logger: logger)
            }
            _ = try await deliver(analyzed, times: times, using: &generator) {
                _ = try await embedder.handle($0, logger: logger)
            }
            return (processed, analyzed)
        }
    }

    /// Every row of the three tables as JSON, without timestamps, in a stable order.
    static func snapshot(_ database: Database) async throws -> [String] {
        var rows: [String] = []
        for (table, key) in [("items", "item_id"), ("analyses", "analysis_id"), ("embeddings", "embedding_id")] {
            let result = try await database.client.query(
                """
                SELECT (to_jsonb(t) - 'created_at' - 'updated_at' - 'request_id')::text
                FROM \(unescaped: table) t ORDER BY \(unescaped: key)
                """)
            for try await row in result.decode(String.self) { rows.append("\(table) \(row)") }
        }
        return rows
    }

    static let keys = ["alice/replay me.jpg", "bob/ünïcödé 'quoted' & (1) #2.png", "carol/exif+rotated.jpg"]
    static let files = ["red.jpg", "alpha.png", "exif-rotate-6.jpg"]

    private func upload(_ s3: S3Client, bucket: String, _ key: String, _ file: String, sequence: Int) async throws
        -> Data
    {
        let data = try TestEnvironment.data("fixtures/images/\(file)")
        try await s3.put(bucket: bucket, key: key, data: data, contentType: "application/octet-stream")
        let head = try await s3.head(bucket: bucket, key: key)
        return S3EventSamples.put(bucket: bucket, key: key, size: head.size, etag: head.etag, sequence: sequence)
    }

    @Test func everyEventThreeTimesInAnyOrderLeavesTheRowsOfOneDelivery() async throws {
        let server = try MotoServer.requireOpen()  // keys with reserved characters: see MotoS3Tests
        let s3 = S3Client(client: server.client(), endpoint: server.endpoint)
        let bucket = MotoServer.uniqueName("replays")
        try await s3.createBucket(bucket)
        var uploads: [Data] = []
        for (index, (key, file)) in zip(Self.keys, Self.files).enumerated() {
            uploads.append(try await upload(s3, bucket: bucket, key, file, sequence: index))
        }
        var generator = SystemRandomNumberGenerator()
        let once = try await ScratchDatabase.with("collections_test_replay_once") { database in
            let pipeline = Pipeline(s3: s3, database: database)
            _ = try await pipeline.run(uploads, times: 1, using: &generator)
            return try await Self.snapshot(database)
        }
        try await ScratchDatabase.with("collections_test_replay_thrice") { database in
            let pipeline = Pipeline(s3: s3, database: database)
            for round in 1...2 {
                _ = try await pipeline.run(uploads, times: 3, using: &generator)
                #expect(try await Self.snapshot(database) == once, "round \(round)")
            }
            // Three items, each analysed once (the model was asked once per image) and embedded once.
            #expect(once.filter { $0.hasPrefix("items ") }.count == 3)
            #expect(once.filter { $0.hasPrefix("embeddings ") }.count == 3)
            #expect(pipeline.model.calls.withLock { $0.values.sorted() } == [1, 1, 1])
        }
    }

    @Test func aNewerVersionIsProcessedAgainAndAnOlderDuplicateIsNot() async throws {
        let server = try MotoServer.requireOpen()
        let s3 = S3Client(client: server.client(), endpoint: server.endpoint)
        let bucket = MotoServer.uniqueName("versions")
        try await s3.createBucket(bucket)
        let key = "alice/same key.jpg"
        var generator = SystemRandomNumberGenerator()
        try await ScratchDatabase.with("collections_test_replay_versions") { database in
            let pipeline = Pipeline(s3: s3, database: database)
            // Version 1 (800×600 red) goes all the way through.
            let first = try await upload(s3, bucket: bucket, key, "red.jpg", sequence: 1)
            let old = try await pipeline.run([first], times: 1, using: &generator)
            // Version 2 (600×400) replaces it. Old and new events, three times each, shuffled.
            let second = try await upload(s3, bucket: bucket, key, "upright-landscape.jpg", sequence: 2)
            let newEtag = try await s3.head(bucket: bucket, key: key).etag
            let processed = try await pipeline.deliver([first, second], times: 3, using: &generator) {
                _ = try await pipeline.processor.handle($0, logger: pipeline.logger)
            }
            let processedDetails = try processed.map { try ImageProcessed.decodeEvent(from: $0) }
            #expect(processedDetails.count == 3 && processedDetails.allSatisfy { $0.etag == newEtag })
            let analyzed = try await pipeline.deliver(old.processed + processed, times: 3, using: &generator) {
                _ = try await pipeline.analyzer.handle($0, logger: pipeline.logger)
            }
            _ = try await pipeline.deliver(old.analyzed + analyzed, times: 3, using: &generator) {
                _ = try await pipeline.embedder.handle($0, logger: pipeline.logger)
            }
            // One model call per version: the old one's replays never reached the model again.
            #expect(pipeline.model.calls.withLock { $0 } == ["800x600": 1, "600x400": 1])
            let rows = try await database.client.query(
                """
                SELECT i.etag, i.status, i.width, l.etag, (SELECT count(*) FROM embeddings e
                    JOIN analyses a USING (analysis_id) WHERE a.etag = i.etag)
                FROM items i JOIN latest_analyses l USING (item_id)
                """)
            var seen = 0
            for try await (etag, status, width, latest, vectors) in rows.decode(
                (String, String, Int, String, Int).self)
            {
                seen += 1
                #expect(etag == newEtag && status == "embedded" && width == 600 && latest == newEtag)
                #expect(vectors == 1)
            }
            #expect(seen == 1)
            // The thumbnail is the new version's (3:2, so 512×341), not the old one's (4:3, 512×384).
            let thumbnail = try await s3.get(
                bucket: bucket, key: try #require(processedDetails.first).thumbnailKey, maxBytes: 1 << 20)
            let size = try VipsImageProbe.size(of: thumbnail.data)
            #expect(size.width == 512 && size.height == 341, "\(size)")
        }
    }
}
