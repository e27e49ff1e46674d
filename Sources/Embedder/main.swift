import Logging
import PipelineCore

// Embedder: ImageAnalyzed → vector in pgvector → ItemEmbedded on EventBridge.
await Lambda.main(function: "Embedder") {
    let settings = try Settings()
    let aws = AWSEnvironment(settings: settings)
    let databaseURL = try await settings.resolveDatabaseURL(parameters: try aws.parameterStore(client: aws.client()))
    let database = try Database(url: databaseURL, logger: Logger(label: "postgres"))
    let stage = EmbeddingStage(
        configuration: settings.embedding,
        bus: try aws.eventBus(client: aws.client()),
        model: HashingEmbedder(dimensions: settings.embeddingDimensions),
        store: PostgresStore(database: database))
    return { event, context in try await stage.handle(event, logger: context.logger) }
}
