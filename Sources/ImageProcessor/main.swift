import Imaging
import PipelineCore

// ImageProcessor: S3 upload event → thumbnail + rendition in S3 → ImageProcessed on EventBridge.
await Lambda.main(function: "ImageProcessor") {
    let settings = try Settings()
    let aws = AWSEnvironment(settings: settings)
    let stage = ImageProcessingStage(
        configuration: settings.imageProcessing,
        storage: try aws.objectStore(client: aws.client()),
        bus: try aws.eventBus(client: aws.client()),
        renderer: VipsImageRenderer(options: settings.imaging))
    let runner = EventRunner(
        stage: stage, settler: try aws.messageSettler(function: "ImageProcessor"), metrics: .function("ImageProcessor"))
    return { event, context in try await runner.handle(event, logger: context.logger) }
}
