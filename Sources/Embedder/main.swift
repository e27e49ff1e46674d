import Logging
import PipelineCore

// Embedder: ImageAnalyzed → vector in pgvector → ItemEmbedded on EventBridge.
//
// The model is the Voyage embeddings API client, pointed at Voyage or, locally, at
// `collections stand-ins` (VOYAGE_BASE_URL), which answers with the offline hashing embedder.
await Lambda.main(function: "Embedder") {
    let settings = try Settings()
    let aws = AWSEnvironment(settings: settings)
    // The API key and the database URL are read from SSM at the same time: start-up's only round trips.
    async let model = EmbeddingModels.remote(
        environment: aws.environment, parameters: try aws.parameterStore(client: aws.client()))
    async let databaseURL = settings.resolveDatabaseURL(parameters: try aws.parameterStore(client: aws.client()))
    let database = try Database(url: try await databaseURL, logger: Logger(label: "postgres"))
    let stage = EmbeddingStage(
        configuration: settings.embedding,
        bus: try aws.eventBus(client: aws.client()),
        model: try await model,
        store: PostgresStore(database: database))
    let runner = EventRunner(
        stage: stage, settler: try aws.messageSettler(function: "Embedder"), metrics: .function("Embedder"))
    return { event, context in try await runner.handle(event, logger: context.logger) }
}
