import ArgumentParser
import Foundation
import Imaging
import Logging
import PipelineCore

/// `collections-bench invocation`: whole ImageProcessor invocations in-process, through the real
/// `ImageProcessingStage` wired as `Sources/ImageProcessor/main.swift` wires it (settings and AWS
/// clients from the environment, created once and reused as in Lambda), against the S3 and
/// EventBridge endpoints the environment names (moto under scripts/bench).
///
/// Each file is uploaded once under `--prefix`; then, in each round, its render alone (the
/// renderer on the bytes in memory) and one invocation with an S3 event for it (S3 get, render,
/// the two S3 puts, PutEvents), timed, with the time spent in each of those calls. Logging is off.
/// Prints one JSON object.
struct InvocationBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invocation", abstract: "Time whole ImageProcessor invocations and their render alone (JSON).")

    @Option(help: "Timed rounds per file, after the warm-up.")
    var repeats = 7

    @Option(help: "Untimed rounds per file first.")
    var warmup = 1

    @Option(help: "The bucket to upload to (it must exist).")
    var bucket: String

    @Option(help: "Key prefix of the uploads; its first segment is the user.")
    var prefix = "bench/"

    @Argument(help: "Image files.")
    var files: [String]

    func run() async throws {
        let settings = try Settings()
        let aws = AWSEnvironment(settings: settings)
        let phases = InvocationPhases()
        let storage = try aws.objectStore(client: aws.client())
        let stage = ImageProcessingStage(
            configuration: settings.imageProcessing,
            storage: TimedObjectStore(inner: storage, phases: phases),
            bus: TimedEventBus(inner: try aws.eventBus(client: aws.client()), phases: phases),
            renderer: TimedRenderer(inner: VipsImageRenderer(options: settings.imaging), phases: phases))
        let renderer = VipsImageRenderer(options: settings.imaging)
        let logger = Logger(label: "ImageProcessor") { _ in SwiftLogNoOpLogHandler() }
        var results: [FileResult] = []
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            let key = prefix + URL(fileURLWithPath: file).lastPathComponent
            try await storage.put(bucket: bucket, key: key, data: data, contentType: "application/octet-stream")
            let head = try await storage.head(bucket: bucket, key: key)
            let event = S3EventSamples.put(bucket: bucket, key: key, size: data.count, etag: head.etag)
            var result = FileResult(file: file, key: key, bytes: data.count)
            for round in 0..<(warmup + repeats) {
                let (renderMs, _) = try ImagingBench.timeSync { try renderer.render(data) }
                phases.reset()
                let (invocationMs, outcome) = try await ImagingBench.time {
                    try await stage.handle(event, logger: logger)
                }
                guard outcome.processed.count == 1 else {
                    throw ValidationError("\(key) was not processed: \(outcome.ignored.joined(separator: "; "))")
                }
                if round >= warmup {
                    result.renderMs.append(renderMs)
                    result.invocationMs.append(invocationMs)
                    result.phasesMs.append(phases.breakdown())
                }
            }
            results.append(result)
        }
        print(try ImagingBench.json(Report(bucket: bucket, repeats: repeats, warmup: warmup, files: results)))
    }
}

extension InvocationBench {
    /// One file's samples.
    struct FileResult: Encodable {
        var file: String
        var key: String
        var bytes: Int
        var renderMs: [Double] = []
        var invocationMs: [Double] = []
        var phasesMs: [InvocationPhases.Breakdown] = []
    }

    /// What `collections-bench invocation` prints.
    struct Report: Encodable {
        var bucket: String
        var repeats: Int
        var warmup: Int
        var files: [FileResult]
    }
}
