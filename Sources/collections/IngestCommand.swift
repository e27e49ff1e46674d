import ArgumentParser
import Foundation
import Imaging
import Logging
import PipelineCore

/// `collections ingest DIR`: uploads photos to the local object folder and runs all three stages
/// in this process, with the offline models or (`--models api`) the Claude and Voyage clients.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Run every photo in a folder through ImageProcessor, Analyzer and Embedder, in-process.",
        discussion: """
            Each file is copied to the local object folder as <user>/<file name>, announced with an S3
            notification event exactly as S3 would send it, and passed from stage to stage through an
            in-memory bus. Running it again on the same files delivers the same events again: the
            pipeline is idempotent, so the row counts do not change.
            """)

    @Argument(help: "A folder of images.")
    var folder: String

    @Option(help: "The user the photos belong to: the first segment of each key.")
    var user = "demo"

    @Option(help: "The bucket name the local object folder stands in for.")
    var bucket = "collections-local"

    @Option(help: "Deliver every event this many times, as at-least-once delivery may.")
    var deliveries = 1

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var modelOptions: ModelOptions

    func run() async throws {
        try await CommandContext(options: database).run { context in
            let files = try imageFiles()
            guard !files.isEmpty else { throw ValidationError("no files in \(folder)") }
            let storage = FileSystemObjectStore(
                root: URL(fileURLWithPath: context.settings.localObjectRoot ?? Settings.defaultLocalObjectRoot))
            var events: [Data] = []
            for (index, file) in files.enumerated() {
                let key = "\(user)/\(file.lastPathComponent)"
                let data = try Data(contentsOf: file)
                try await storage.put(bucket: bucket, key: key, data: data, contentType: "application/octet-stream")
                let stored = try await storage.get(bucket: bucket, key: key, maxBytes: .max)
                events.append(
                    S3EventSamples.put(bucket: bucket, key: key, size: data.count, etag: stored.etag, sequence: index))
            }
            let analysisModel = try await modelOptions.analysisModel(context)
            let embeddingModel = try await modelOptions.embeddingModel(context)
            let pipeline = makePipeline(
                context, storage: storage, analysisModel: analysisModel, embeddingModel: embeddingModel)
            print("Processing \(files.count) photos (each event delivered \(deliveries)×)…")
            let started = Date()
            let run = await pipeline.run(uploadEvents: events, deliveries: deliveries, logger: Logger(label: "ingest"))
            {
                outcome in
                print(IngestReport.line(outcome, file: files[outcome.index].lastPathComponent, total: files.count))
            }
            let seconds = Date().timeIntervalSince(started)
            switch run.embedding {
            case .success(let result):
                print(
                    "Embedded \(result.embedded.count) (\(result.alreadyCurrent.count) already current) in \(String(format: "%.1f", seconds)) s"
                )
            case .failure(let error):
                print("Embedding failed: \(error)")
            }
            let itemIDs = run.outcomes.flatMap { (try? $0.processed.get())?.map(\.itemID) ?? [] }
            let coverage = try await CoverageRepository(database: context.database).coverage(
                of: itemIDs, analysisModel: analysisModel.modelID, promptVersion: analysisModel.promptVersion,
                embeddingModel: embeddingModel.modelID, dimensions: embeddingModel.dimensions)
            print(
                "\(coverage.isComplete ? "Complete" : "Incomplete"): \(coverage.items) items, \(coverage.analysed) "
                    + "with exactly one \(analysisModel.modelID) analysis, \(coverage.embedded) with exactly one "
                    + "\(embeddingModel.modelID) vector")
            let failed = run.outcomes.filter(IngestReport.failed).count
            if failed > 0 || (try? run.embedding.get()) == nil || !coverage.isComplete {
                throw ExitCode(1)
            }
        }
    }

    private func imageFiles() throws -> [URL] {
        let url = URL(fileURLWithPath: folder)
        return try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: [.isRegularFileKey])
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .filter { !$0.lastPathComponent.hasPrefix(".") && !["tsv", "md", "txt"].contains($0.pathExtension) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    private func makePipeline(
        _ context: CommandContext, storage: FileSystemObjectStore, analysisModel: any AnalysisModel,
        embeddingModel: any EmbeddingModel
    ) -> InProcessPipeline {
        let bus = InMemoryEventBus()
        let store = PostgresStore(database: context.database)
        let settings = context.settings
        return InProcessPipeline(
            processor: ImageProcessingStage(
                configuration: settings.imageProcessing, storage: storage, bus: bus,
                renderer: VipsImageRenderer(options: settings.imaging)),
            analyzer: AnalysisStage(
                configuration: settings.analysis, storage: storage, bus: bus,
                model: analysisModel, store: store),
            embedder: EmbeddingStage(
                configuration: settings.embedding, bus: bus,
                model: embeddingModel, store: store),
            bus: bus)
    }
}

/// Lines `ingest` prints.
enum IngestReport {
    static func failed(_ outcome: InProcessPipeline.Outcome) -> Bool {
        if case .failure = outcome.processed { return true }
        return outcome.analyzed.contains { if case .failure = $0 { true } else { false } }
    }

    static func line(_ outcome: InProcessPipeline.Outcome, file: String, total: Int) -> String {
        let position = "[\(outcome.index + 1)/\(total)]"
        switch outcome.processed {
        case .failure(let error):
            return "\(position) ✗ \(file): \(error)"
        case .success(let processed):
            guard let image = processed.first else { return "\(position) – \(file): ignored" }
            let analysis = outcome.analyzed.first.map { result -> String in
                switch result {
                case .success(let analyzed): "analysed (\(analyzed.analysisID.uuidString.prefix(8).lowercased()))"
                case .failure(let error): "analysis failed: \(error)"
                }
            }
            return "\(position) ✓ \(file)  \(image.width)×\(image.height)  → \(image.thumbnailKey)  \(analysis ?? "")"
        }
    }
}
