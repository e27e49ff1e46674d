import Foundation
import Logging
import PipelineCore

// Analyzer: ImageProcessed → analysis in PostgreSQL → ImageAnalyzed.
//
// This binary never links libvips, so it cannot host the offline pixel model (which decodes the
// rendition with libvips); that model runs in-process in `collections ingest`. Analyzer's own
// model is the Claude Messages API client, pointed at Claude or at the local stand-in.
let settings = try Settings()
let database = try Database(url: try settings.requireDatabaseURL(), logger: Logger(label: "postgres"))
let model = try AnalysisModels.remote(settings: settings)
let stage = AnalysisStage(
    configuration: settings.analysis,
    storage: FileSystemObjectStore(root: URL(fileURLWithPath: settings.localObjectRoot)),
    bus: FolderEventBus(folder: URL(fileURLWithPath: settings.localEventFolder)),
    model: model,
    store: PostgresStore(database: database))
await LocalInvocation.main(function: "Analyzer") { event, logger in
    try await stage.handle(event, logger: logger)
}
