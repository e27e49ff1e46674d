import Logging
import PipelineCore

// Analyzer: ImageProcessed → analysis in PostgreSQL → ImageAnalyzed on EventBridge.
//
// This binary never links libvips, so it cannot host the offline pixel model (which decodes the
// rendition with libvips); that model runs in-process in `collections ingest`. Analyzer's own
// model is the Claude Messages API client, pointed at Claude or at the local stand-in.
await Lambda.main(function: "Analyzer") {
    let settings = try Settings()
    let aws = AWSEnvironment(settings: settings)
    let model = try AnalysisModels.remote(settings: settings)
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
