import Logging
import PipelineCore

// Analyzer: ImageProcessed → analysis in PostgreSQL → ImageAnalyzed on EventBridge.
//
// The model is the Claude Messages API client, pointed at Claude or, locally, at
// `collections stand-ins` (ANTHROPIC_BASE_URL), which answers with the offline pixel model.
await Lambda.main(function: "Analyzer") {
    let settings = try Settings()
    let aws = AWSEnvironment(settings: settings)
    let model = try await AnalysisModels.remote(
        environment: aws.environment, parameters: try aws.parameterStore(client: aws.client()))
    let databaseURL = try await settings.resolveDatabaseURL(parameters: try aws.parameterStore(client: aws.client()))
    let database = try Database(url: databaseURL, logger: Logger(label: "postgres"))
    let stage = AnalysisStage(
        configuration: settings.analysis,
        storage: try aws.objectStore(client: aws.client()),
        bus: try aws.eventBus(client: aws.client()),
        model: model,
        store: PostgresStore(database: database))
    return { event, context in try await stage.handle(event, logger: context.logger) }
}
