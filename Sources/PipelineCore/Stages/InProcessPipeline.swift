import Foundation
import Logging

/// Runs the three stages in one process, passing events from stage to stage through an
/// ``InMemoryEventBus`` as EventBridge would deliver them. Used by `collections ingest` and tests.
public struct InProcessPipeline: Sendable {
    private let processor: ImageProcessingStage
    private let analyzer: AnalysisStage
    private let embedder: EmbeddingStage
    private let bus: InMemoryEventBus

    /// Wires the pipeline; each stage must send its events to `bus`.
    public init(
        processor: ImageProcessingStage, analyzer: AnalysisStage, embedder: EmbeddingStage, bus: InMemoryEventBus
    ) {
        self.processor = processor
        self.analyzer = analyzer
        self.embedder = embedder
        self.bus = bus
    }

    /// What happened to one upload event.
    public struct Outcome: Sendable {
        /// The upload event's position in the input.
        public var index: Int
        /// ImageProcessor's result, or its error.
        public var processed: Result<[ImageProcessed], any Error>
        /// Analyzer's result per processed image.
        public var analyzed: [Result<ImageAnalyzed, any Error>] = []
    }

    /// Delivers each upload event `deliveries` times, runs Analyzer on every `ImageProcessed`,
    /// then embeds every analysis in batches.
    /// - Parameters:
    ///   - uploadEvents: S3 events as delivered.
    ///   - deliveries: how many times each event (and each event it causes) is delivered.
    ///   - progress: called after each upload event's first two stages.
    /// - Returns: the outcome of each upload and the embedding result.
    public func run(
        uploadEvents: [Data], deliveries: Int = 1, logger: Logger, progress: (Outcome) -> Void = { _ in }
    ) async -> (outcomes: [Outcome], embedding: Result<EmbeddingResult, any Error>) {
        var outcomes: [Outcome] = []
        var analyzedEvents: [ImageAnalyzed] = []
        for (index, event) in uploadEvents.enumerated() {
            var outcome = Outcome(index: index, processed: .success([]))
            for _ in 0..<deliveries {
                do {
                    outcome.processed = .success(try await processor.handle(event, logger: logger).processed)
                } catch {
                    outcome.processed = .failure(error)
                }
            }
            let analyzerEntries = bus.drain().filter { entry in
                AnalysisStage.accepted.contains { $0.detailType == entry.detailType }
            }
            for entry in analyzerEntries {
                let delivered = entry.delivered(id: UUID().uuidString.lowercased(), time: Date())
                do {
                    if let analyzed = try await analyzer.handle(delivered, logger: logger).analyzed {
                        outcome.analyzed.append(.success(analyzed))
                    }
                } catch {
                    outcome.analyzed.append(.failure(error))
                }
            }
            for entry in bus.drain() where entry.detailType == ImageAnalyzed.detailType {
                if let analyzed = try? ImageAnalyzed.decodeEvent(from: entry.delivered(id: "local", time: Date())) {
                    analyzedEvents.append(analyzed)
                }
            }
            progress(outcome)
            outcomes.append(outcome)
        }
        let embedding: Result<EmbeddingResult, any Error>
        do {
            embedding = .success(try await embedder.embed(analyzedEvents, logger: logger))
        } catch {
            embedding = .failure(error)
        }
        _ = bus.drain()
        return (outcomes, embedding)
    }
}
