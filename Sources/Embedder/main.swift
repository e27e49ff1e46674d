import Foundation
import Logging
import PipelineCore

// Embedder: ImageAnalyzed → vector in pgvector → ItemEmbedded.
let settings = try Settings()
let database = try Database(url: try settings.requireDatabaseURL(), logger: Logger(label: "postgres"))
let stage = EmbeddingStage(
    configuration: settings.embedding,
    bus: FolderEventBus(folder: URL(fileURLWithPath: settings.localEventFolder)),
    model: HashingEmbedder(dimensions: settings.embeddingDimensions),
    store: PostgresStore(database: database))
await LocalInvocation.main(function: "Embedder") { event, logger in
    try await stage.handle(event, logger: logger)
}
