import Foundation
import Imaging
import PipelineCore
import TestSupport
import Testing

@Suite struct PixelDecoderTests {
    @Test(arguments: [("red.jpg", ColorName.red), ("green.jpg", .green), ("blue.jpg", .blue), ("yellow.jpg", .yellow)])
    func seesTheDominantColour(fixture: String, color: ColorName) async throws {
        let model = PixelAnalysisModel(decoder: VipsPixelDecoder())
        let data = try TestEnvironment.data("fixtures/images/\(fixture)")
        let output = try await model.analyze(
            AnalysisInput(data: data, mediaType: "image/jpeg", originalWidth: 800, originalHeight: 600))
        #expect(output.analysis.colors.first == color.rawValue)
        #expect(output.analysis.tags.contains(color.rawValue))
        #expect(output.usage == TokenUsage(inputTokens: 0, outputTokens: 0))
    }

    @Test func shrinksToTheRequestedEdge() throws {
        let grid = try VipsPixelDecoder().decode(TestEnvironment.data("fixtures/images/red.jpg"), maxEdge: 32)
        #expect(max(grid.width, grid.height) == 32)
    }
}
