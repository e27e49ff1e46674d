import Logging
import PipelineCore

// Analyzer: ImageProcessed → analysis in PostgreSQL → ImageAnalyzed on EventBridge.
//
// The model is the Claude Messages API client, pointed at Claude or, locally, at
// `collections stand-ins` (ANTHROPIC_BASE_URL), which answers with the offline pixel model.
await Lambda.main(function: "Analyzer") {
    let settings = try Settings()
    let aws = AWSEnvironment(settings: settings)
    // The API key and the database URL are read from SSM at the same time: start-up's only round trips.
    async let model = AnalysisModels.remote(
        environment: aws.environment, parameters: try aws.parameterStore(client: aws.client()))
    async let databaseURL = settings.resolveDatabaseURL(parameters: try aws.parameterStore(client: aws.client()))
    let database = try Database(url: try await databaseURL, logger: Logger(label: "postgres"))
    let stage = AnalysisStage(
        configuration: settings.analysis,
        storage: try aws.objectStore(client: aws.client()),
        bus: try aws.eventBus(client: aws.client()),
        model: try await model,
        store: PostgresStore(database: database))
    let runner = EventRunner(
        stage: stage, settler: try aws.messageSettler(function: "Analyzer"), metrics: .function("Analyzer"))
    return { event, context in try await runner.handle(event, logger: context.logger) }
}
