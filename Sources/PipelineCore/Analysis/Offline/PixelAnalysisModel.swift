import Foundation

/// An offline analysis model that describes an image from its pixels alone: dominant colours in
/// words, brightness, orientation and size class.
///
/// It is modest and honest: it sees colour, not content, and it stores its own model id so its
/// rows are never mistaken for Claude's. It needs no network and no key.
public struct PixelAnalysisModel: AnalysisModel {
    public let modelID = "collections-pixels-v1"
    public let promptVersion = "pixels-1"

    private let decoder: any PixelDecoder

    /// Creates the model.
    /// - Parameter decoder: turns the rendition into pixels (libvips in `Imaging`).
    public init(decoder: any PixelDecoder) {
        self.decoder = decoder
    }

    public func analyze(_ image: AnalysisInput) async throws -> AnalysisOutput {
        let grid = try decoder.decode(image.data, maxEdge: 64)
        let statistics = PixelStatistics(grid)
        let analysis = Self.describe(statistics, width: image.originalWidth, height: image.originalHeight)
        let raw = RawOutput(analysis: analysis, statistics: statistics)
        let json = String(decoding: try PipelineJSON.encoder.encode(raw), as: UTF8.self)
        return AnalysisOutput(analysis: analysis, rawJSON: json, usage: TokenUsage(inputTokens: 0, outputTokens: 0))
    }

    /// Words for what the statistics show.
    public static func describe(_ statistics: PixelStatistics, width: Int, height: Int) -> Analysis {
        let colors = statistics.dominantColors()
        let tone =
            statistics.brightness < 0.3 ? "dark" : statistics.brightness > 0.62 ? "bright" : nil
        let vividness =
            statistics.saturation > 0.5 ? "vivid" : statistics.saturation < 0.12 ? "muted" : nil
        let shape = Shape(width: width, height: height)
        let size = SizeClass(pixels: width * height)
        let category: AnalysisCategory =
            statistics.share(of: .green) >= 0.3 ? .nature : statistics.share(of: .blue) >= 0.3 ? .landscape : .other

        let adjectives = [tone, vividness, shape.rawValue].compactMap { $0 }.joined(separator: ", ")
        let summary = "A \(adjectives) image dominated by \(list(colors.map(\.rawValue)))."
        let shares = statistics.colorShares.prefix(5).map { "\($0.color.rawValue) \(percent($0.share))" }
        let megapixels = String(format: "%.1f", Double(width * height) / 1_000_000)
        let description =
            "Colours by share of pixels: \(shares.joined(separator: ", ")). "
            + "Average brightness \(percent(statistics.brightness)), saturation \(percent(statistics.saturation)). "
            + "\(width)×\(height) pixels (\(megapixels) MP, \(size.rawValue)), \(shape.rawValue) format."
        var tags = colors.map(\.rawValue)
        tags += [tone, vividness, shape.rawValue, size.rawValue].compactMap { $0 }
        if category != .other { tags.append(category.rawValue) }
        return Analysis(
            category: category, summary: summary, description: description, tags: tags, objects: [],
            colors: colors.map(\.rawValue), detectedText: "")
    }

    private static func list(_ words: [String]) -> String {
        switch words.count {
        case 0: "no single colour"
        case 1: words[0]
        default: words.dropLast().joined(separator: ", ") + " and " + words[words.count - 1]
        }
    }

    private static func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }

    enum Shape: String {
        case horizontal, vertical, square

        init(width: Int, height: Int) {
            let ratio = Double(width) / Double(max(height, 1))
            self = ratio > 1.1 ? .horizontal : ratio < 0.9 ? .vertical : .square
        }
    }

    enum SizeClass: String {
        case small, medium, large, huge

        init(pixels: Int) {
            self = pixels < 1_000_000 ? .small : pixels < 4_000_000 ? .medium : pixels < 16_000_000 ? .large : .huge
        }
    }

    private struct RawOutput: Encodable {
        var analysis: Analysis
        var statistics: PixelStatistics
    }
}
