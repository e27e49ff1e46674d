import Foundation
import Logging
import PipelineCore
import TestSupport
import Testing

/// The Embedder embeds an SQS batch in one Voyage request, through the real client against the
/// Voyage stand-in, and a message whose analysis is missing fails alone.
extension StageTests {
    @Test func embedderMakesOneVoyageRequestPerBatch() async throws {
        let storage = InMemoryObjectStore()
        let bus = InMemoryEventBus()
        let store = InMemoryStore()
        let analyzer = AnalysisStage(
            configuration: .init(), storage: storage, bus: bus, model: CountingModel(), store: store)
        var records: [SQSEventRecord] = []
        for index in 0..<100 {
            let delivered = try await processedEvent("u1/\(index).jpg", storage: storage, bus: bus)
            _ = try await analyzer.handle(delivered, logger: logger)
            let analyzed = try #require(bus.drain().first { $0.detailType == ImageAnalyzed.detailType })
            records.append(
                SQSEventRecord(
                    messageID: "m\(index)", receiptHandle: "r\(index)",
                    body: String(decoding: analyzed.delivered(id: "\(index)", time: Date()), as: UTF8.self),
                    eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:embedder"))
        }
        let missing = try EventEntry(
            ImageAnalyzed(itemID: UUID(), analysisID: UUID(), model: "counting", promptVersion: "1"))
        records.append(
            SQSEventRecord(
                messageID: "missing", receiptHandle: "r",
                body: String(decoding: missing.delivered(id: "x", time: Date()), as: UTF8.self),
                eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:embedder"))
        try await withStandIns { url in
            var configuration = VoyageConfiguration(apiKey: "stand-in")
            configuration.baseURL = url
            let stage = EmbeddingStage(
                configuration: .init(), bus: bus, model: VoyageEmbeddingModel(configuration: configuration),
                store: store)
            let output = try await EventRunner(stage: stage, settler: nil, metrics: .discarded).handle(
                PipelineJSON.encoder.encode(SQSEvent(records: records)), logger: logger)
            let json = String(decoding: try PipelineJSON.encoder.encode(output), as: UTF8.self)
            #expect(json == #"{"batchItemFailures":[{"itemIdentifier":"missing"}]}"#)
            #expect(try await StandInStatistics.requests(url)["/v1/embeddings"] == 1)
        }
        #expect(store.contents.embeddings.count == 100)
        #expect(bus.entries.filter { $0.detailType == ItemEmbedded.detailType }.count == 100)
    }
}
