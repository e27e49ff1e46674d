import Foundation
import Imaging
import PipelineCore

// ImageProcessor: S3 upload event → thumbnail + rendition → ImageProcessed.
let settings = try Settings()
let stage = ImageProcessingStage(
    configuration: settings.imageProcessing,
    storage: FileSystemObjectStore(root: URL(fileURLWithPath: settings.localObjectRoot)),
    bus: FolderEventBus(folder: URL(fileURLWithPath: settings.localEventFolder)),
    renderer: VipsImageRenderer(options: settings.imaging))
await LocalInvocation.main(function: "ImageProcessor") { event, logger in
    try await stage.handle(event, logger: logger)
}
