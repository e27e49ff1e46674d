import Foundation
import PipelineCore
import Testing

@Suite struct PixelAnalysisTests {
    @Test(arguments: [
        (255, 0, 0, ColorName.red), (0, 160, 0, .green), (20, 60, 200, .blue), (250, 220, 20, .yellow),
        (250, 140, 0, .orange), (120, 60, 20, .brown), (0, 0, 0, .black), (255, 255, 255, .white),
        (128, 128, 128, .gray), (140, 40, 200, .purple), (250, 170, 200, .pink), (135, 206, 235, .blue),
    ])
    func namesColours(red: Int, green: Int, blue: Int, name: ColorName) {
        #expect(ColorName(red: UInt8(red), green: UInt8(green), blue: UInt8(blue)) == name)
    }

    /// A grid whose top `share` of rows is one colour and the rest another.
    private func grid(_ top: (UInt8, UInt8, UInt8), _ bottom: (UInt8, UInt8, UInt8), share: Double) -> PixelGrid {
        let width = 10
        let height = 10
        var rgb: [UInt8] = []
        for row in 0..<height {
            let color = Double(row) < share * Double(height) ? top : bottom
            for _ in 0..<width { rgb += [color.0, color.1, color.2] }
        }
        return PixelGrid(width: width, height: height, rgb: rgb)
    }

    @Test func describesDominantColoursBrightnessAndShape() {
        let statistics = PixelStatistics(grid((0, 150, 0), (255, 255, 255), share: 0.7))
        #expect(statistics.dominantColors() == [.green, .white])
        let analysis = PixelAnalysisModel.describe(statistics, width: 4000, height: 3000)
        #expect(analysis.category == .nature)
        #expect(analysis.colors == ["green", "white"])
        #expect(analysis.summary == "A vivid, horizontal image dominated by green and white.")
        #expect(analysis.tags == ["green", "white", "vivid", "horizontal", "large", "nature"])
        #expect(analysis.description.contains("green 70%, white 30%"))
    }

    @Test func tellsDarkFromBright() {
        let dark = PixelAnalysisModel.describe(
            PixelStatistics(grid((5, 5, 5), (20, 20, 60), share: 0.9)), width: 100, height: 300)
        #expect(dark.tags.contains("dark"))
        #expect(dark.tags.contains("vertical"))
        #expect(dark.tags.contains("small"))
        let bright = PixelAnalysisModel.describe(
            PixelStatistics(grid((250, 250, 250), (240, 240, 200), share: 0.5)), width: 500, height: 500)
        #expect(bright.tags.contains("bright"))
        #expect(bright.tags.contains("square"))
    }

    @Test func usesTheDecoderAndReportsItsOwnModel() async throws {
        struct Decoder: PixelDecoder {
            func decode(_ data: Data, maxEdge: Int) throws -> PixelGrid {
                PixelGrid(width: 1, height: 1, rgb: [200, 0, 0])
            }
        }
        let model = PixelAnalysisModel(decoder: Decoder())
        let output = try await model.analyze(
            AnalysisInput(data: Data([1]), mediaType: "image/jpeg", originalWidth: 10, originalHeight: 10))
        #expect(output.analysis.colors == ["red"])
        #expect(model.modelID == "collections-pixels-v1")
        let raw = try JSONSerialization.jsonObject(with: Data(output.rawJSON.utf8)) as? [String: Any]
        #expect(raw?["statistics"] != nil)
    }
}
