import Foundation
import Logging
import PipelineCore
import Synchronization
import TestSupport
import Testing

/// A renderer that returns fixed bytes, counting calls.
final class FakeRenderer: ImageRenderer {
    let calls = Mutex(0)
    let failure: ImagingError?

    init(failure: ImagingError? = nil) {
        self.failure = failure
    }

    func render(_ original: Data) throws -> RenderedImages {
        calls.withLock { $0 += 1 }
        if let failure { throw failure }
        let image = EncodedImage(
            data: Data("jpeg".utf8), contentType: "image/jpeg", fileExtension: "jpg", width: 4, height: 3)
        return RenderedImages(
            metadata: ImageMetadata(
                format: "jpeg", contentType: "image/jpeg", width: 40, height: 30, orientation: 1, bytes: original.count),
            thumbnail: image, rendition: image)
    }
}

/// An analysis model that counts calls.
final class CountingModel: AnalysisModel {
    let modelID = "counting"
    let promptVersion = "1"
    let calls = Mutex(0)

    func analyze(_ image: AnalysisInput) async throws -> AnalysisOutput {
        calls.withLock { $0 += 1 }
        let analysis = Analysis(category: .other, summary: "A test image.", description: "Red.", tags: ["red"])
        return AnalysisOutput(analysis: analysis, rawJSON: "{}", usage: TokenUsage(inputTokens: 3, outputTokens: 2))
    }
}

/// An embedding model that counts calls and texts.
final class CountingEmbedder: EmbeddingModel {
    let modelID = "counting-embedder"
    let dimensions = 16
    let maxBatchSize = 2
    let batches = Mutex([Int]())

    func embed(_ texts: [String], as inputType: EmbeddingInputType) async throws -> EmbeddingBatch {
        batches.withLock { $0.append(texts.count) }
        return try await HashingEmbedder(dimensions: 16).embed(texts, as: inputType)
    }
}

@Suite struct StageTests {
    let logger = Logger(label: "test")

    func upload(
        _ storage: InMemoryObjectStore, key: String, data: Data = Data("original".utf8)
    ) async throws -> Data {
        try await storage.put(bucket: "b", key: key, data: data, contentType: "image/jpeg")
        let stored = try await storage.get(bucket: "b", key: key, maxBytes: 100)
        return S3EventSamples.put(bucket: "b", key: key, size: data.count, etag: stored.etag)
    }

    @Test func imageProcessorWritesBothOutputsAndOneEvent() async throws {
        let storage = InMemoryObjectStore()
        let bus = InMemoryEventBus()
        let stage = ImageProcessingStage(configuration: .init(), storage: storage, bus: bus, renderer: FakeRenderer())
        let result = try await stage.handle(try await upload(storage, key: "u1/my photo.jpg"), logger: logger)
        #expect(
            storage.keys == [
                "b/renditions/u1/my photo.jpg.jpg", "b/thumbnails/u1/my photo.jpg.jpg", "b/u1/my photo.jpg",
            ])
        let processed = try #require(result.processed.first)
        #expect(processed.userID == "u1")
        #expect(processed.itemID == ItemID.of(bucket: "b", key: "u1/my photo.jpg"))
        #expect(processed.width == 40)
        #expect(bus.entries.map(\.detailType) == ["ImageProcessed"])
    }

    @Test func imageProcessorReportsAMissingObjectAndWritesNothing() async throws {
        let storage = InMemoryObjectStore()
        let bus = InMemoryEventBus()
        let stage = ImageProcessingStage(configuration: .init(), storage: storage, bus: bus, renderer: FakeRenderer())
        let event = S3EventSamples.put(bucket: "b", key: "u1/gone.jpg", size: 8, etag: "e")
        let error = await #expect(throws: StageError.self) { try await stage.handle(event, logger: logger) }
        #expect(error?.description.contains("s3://b/u1/gone.jpg does not exist") == true)
        #expect(storage.keys.isEmpty)
        #expect(bus.entries.isEmpty)
    }

    @Test func imageProcessorWritesNothingForAnImageItCannotRenderAndAnnouncesTheRefusal() async throws {
        let storage = InMemoryObjectStore()
        let bus = InMemoryEventBus()
        let renderer = FakeRenderer(failure: ImagingError(.corrupt, "cannot decode the jpeg image: premature end"))
        let stage = ImageProcessingStage(configuration: .init(), storage: storage, bus: bus, renderer: renderer)
        let event = try await upload(storage, key: "u1/bad.jpg")
        let error = await #expect(throws: StageError.self) { try await stage.handle(event, logger: logger) }
        #expect(error?.description == "s3://b/u1/bad.jpg: cannot decode the jpeg image: premature end")
        #expect(storage.keys == ["b/u1/bad.jpg"])
        // Only the refusal goes out, for Analyzer to record on the item.
        #expect(bus.entries.map(\.detailType) == ["ImageFailed"])
        let failed = try ImageFailed.decodeEvent(from: try #require(bus.entries.first).delivered(id: "f", time: Date()))
        #expect(failed.errorCode == "corrupt" && failed.stage == "ImageProcessor" && failed.originalKey == "u1/bad.jpg")
        #expect(failed.errorMessage == "cannot decode the jpeg image: premature end")
    }

    @Test func imageProcessorIgnoresAnEventForAReplacedVersion() async throws {
        let storage = InMemoryObjectStore()
        let bus = InMemoryEventBus()
        let stage = ImageProcessingStage(configuration: .init(), storage: storage, bus: bus, renderer: FakeRenderer())
        let old = try await upload(storage, key: "u1/a.jpg")
        _ = try await upload(storage, key: "u1/a.jpg", data: Data("a newer upload".utf8))
        let result = try await stage.handle(old, logger: logger)
        #expect(result.processed.isEmpty)
        #expect(result.ignored.count == 1 && result.ignored[0].hasPrefix("superseded: object s3://b/u1/a.jpg"))
        #expect(storage.keys == ["b/u1/a.jpg"])
        #expect(bus.entries.isEmpty)
    }

    /// Stores and processes one upload, returning the `ImageProcessed` event as delivered.
    func processedEvent(
        _ key: String, storage: InMemoryObjectStore, bus: InMemoryEventBus
    ) async throws -> Data {
        let processor = ImageProcessingStage(
            configuration: .init(), storage: storage, bus: bus, renderer: FakeRenderer())
        _ = try await processor.handle(try await upload(storage, key: key), logger: logger)
        return try #require(bus.drain().first).delivered(id: key, time: Date())
    }

    @Test func analyzerCallsTheModelOncePerItemVersion() async throws {
        let storage = InMemoryObjectStore()
        let bus = InMemoryEventBus()
        let store = InMemoryStore()
        let model = CountingModel()
        let analyzer = AnalysisStage(configuration: .init(), storage: storage, bus: bus, model: model, store: store)
        let delivered = try await processedEvent("u1/a.jpg", storage: storage, bus: bus)
        let first = try await analyzer.handle(delivered, logger: logger)
        let second = try await analyzer.handle(delivered, logger: logger)
        #expect(first == second)
        #expect(model.calls.withLock { $0 } == 1)
        #expect(store.contents.analyses.count == 1)
        #expect(bus.entries.map(\.detailType) == ["ImageAnalyzed", "ImageAnalyzed"])
    }

    @Test func analyzerReanalysesOnRequest() async throws {
        let storage = InMemoryObjectStore()
        let bus = InMemoryEventBus()
        let store = InMemoryStore()
        let model = CountingModel()
        let analyzer = AnalysisStage(configuration: .init(), storage: storage, bus: bus, model: model, store: store)
        let delivered = String(
            decoding: try await processedEvent("u1/a.jpg", storage: storage, bus: bus), as: UTF8.self)
        let forced = delivered.replacingOccurrences(of: "\"detail\":{", with: "\"detail\":{\"reanalyze\":true,")
        _ = try await analyzer.handle(Data(delivered.utf8), logger: logger)
        _ = try await analyzer.handle(Data(forced.utf8), logger: logger)
        #expect(model.calls.withLock { $0 } == 2)
        #expect(store.contents.analyses.count == 1)
    }

    @Test func embedderBatchesAndSkipsCurrentVectors() async throws {
        let storage = InMemoryObjectStore()
        let bus = InMemoryEventBus()
        let store = InMemoryStore()
        let processor = ImageProcessingStage(
            configuration: .init(), storage: storage, bus: bus, renderer: FakeRenderer())
        let analyzer = AnalysisStage(
            configuration: .init(), storage: storage, bus: bus, model: CountingModel(), store: store)
        let embedderModel = CountingEmbedder()
        let embedder = EmbeddingStage(configuration: .init(), bus: bus, model: embedderModel, store: store)
        var analyzed: [ImageAnalyzed] = []
        for name in ["a", "b", "c"] {
            _ = try await processor.handle(try await upload(storage, key: "u1/\(name).jpg"), logger: logger)
            let delivered = try #require(bus.drain().first).delivered(id: name, time: Date())
            analyzed.append(try #require(try await analyzer.handle(delivered, logger: logger).analyzed))
            _ = bus.drain()
        }
        let first = try await embedder.embed(analyzed + analyzed, logger: logger)
        #expect(first.embedded.count == 3)
        #expect(embedderModel.batches.withLock { $0 } == [2, 1])
        let second = try await embedder.embed(analyzed, logger: logger)
        #expect(second.embedded.isEmpty)
        #expect(second.alreadyCurrent.count == 3)
        #expect(embedderModel.batches.withLock { $0 } == [2, 1])
        #expect(store.contents.embeddings.count == 3)
        #expect(Set(store.contents.statuses.values) == ["embedded"])
        #expect(bus.entries.filter { $0.detailType == "ItemEmbedded" }.count == 6)
    }

    @Test func embedderNamesAMissingAnalysis() async throws {
        let embedder = EmbeddingStage(
            configuration: .init(), bus: InMemoryEventBus(), model: CountingEmbedder(), store: InMemoryStore())
        let missing = UUID()
        let error = await #expect(throws: StageError.self) {
            try await embedder.embed(
                [ImageAnalyzed(itemID: UUID(), analysisID: missing, model: "m", promptVersion: "p")], logger: logger)
        }
        #expect(error?.description.contains("no analysis \(missing) is stored") == true)
    }
}
