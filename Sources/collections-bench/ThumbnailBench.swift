import ArgumentParser
import Foundation
import Imaging
import PipelineCore

/// `collections-bench thumbnail`: the in-process time of our renderer on each file, from the
/// encoded bytes in memory to encoded JPEG bytes in memory, as ImageProcessor runs it.
///
/// Two jobs per file, interleaved in each round: `thumbnail` (the thumbnail alone, shrunk on load
/// to its size) and `render` (thumbnail and analysis rendition from one decode, what the function
/// does). Prints one JSON object: every sample in milliseconds and the outputs' sizes.
struct ThumbnailBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thumbnail", abstract: "Time VipsImageRenderer's thumbnail and render on each file (JSON).")

    @Option(help: "Timed runs of each job per file, after the warm-up.")
    var repeats = 7

    @Option(help: "Untimed runs of each job per file first.")
    var warmup = 1

    @Option(help: "libvips worker threads (0: libvips' default, the number of cores); unset: ours, the default.")
    var concurrency: Int?

    @Option(help: "Which jobs to time: thumbnail, render or both.")
    var jobs: Jobs = .both

    @Argument(help: "Image files.")
    var files: [String]

    enum Jobs: String, ExpressibleByArgument {
        case thumbnail, render, both
    }

    func run() throws {
        if let concurrency { try VipsConcurrency.set(concurrency) }
        let options = try Settings().imaging
        let renderer = VipsImageRenderer(options: options)
        var results: [FileTiming] = []
        for file in files {
            let original = try Data(contentsOf: URL(fileURLWithPath: file))
            var timing = FileTiming(file: file, bytes: original.count)
            for round in 0..<(warmup + repeats) {
                let timed = round >= warmup
                if jobs != .render {
                    let (elapsed, thumbnail) = try ImagingBench.timeSync { try renderer.thumbnail(original) }
                    if timed { timing.thumbnail.record(elapsed, outputs: [thumbnail]) }
                }
                if jobs != .thumbnail {
                    let (elapsed, rendered) = try ImagingBench.timeSync { try renderer.render(original) }
                    if timed { timing.render.record(elapsed, outputs: [rendered.thumbnail, rendered.rendition]) }
                }
            }
            results.append(timing)
        }
        let report = Report(
            concurrency: try VipsConcurrency.current(), repeats: repeats, warmup: warmup,
            options: Report.Options(options), files: results)
        print(try ImagingBench.json(report))
    }
}

extension ThumbnailBench {
    /// One file's samples.
    struct FileTiming: Encodable {
        var file: String
        var bytes: Int
        var thumbnail = JobTiming()
        var render = JobTiming()
    }

    /// One job's samples, and what it produced (the same every run).
    struct JobTiming: Encodable {
        var samplesMs: [Double] = []
        var outputs: [OutputSize] = []

        mutating func record(_ elapsedMs: Double, outputs: [EncodedImage]) {
            samplesMs.append(elapsedMs)
            self.outputs = outputs.map { OutputSize(width: $0.width, height: $0.height, bytes: $0.data.count) }
        }
    }

    /// An encoded output's pixel size and byte count.
    struct OutputSize: Encodable {
        var width: Int
        var height: Int
        var bytes: Int
    }

    /// What `collections-bench thumbnail` prints.
    struct Report: Encodable {
        var concurrency: Int
        var repeats: Int
        var warmup: Int
        var options: Options
        var files: [FileTiming]

        /// The renderer's settings, so that the other tools make the same outputs.
        struct Options: Encodable {
            var thumbnailSize: Int
            var thumbnailFormat: String
            var quality: Int
            var renditionSize: Int

            init(_ options: ImagingOptions) {
                thumbnailSize = options.thumbnailSize
                thumbnailFormat = options.thumbnailFormat.rawValue
                quality = options.quality
                renditionSize = options.renditionSize
            }
        }
    }
}
