import PipelineCore
import Testing

/// The model catalogue: complete entries, the least thinking each model allows, image token counts.
@Suite struct ClaudeCatalogueTests {
    @Test func everyEntryIsCompleteAndUnique() {
        let ids = ClaudeCatalogue.models.flatMap { [$0.id] + $0.otherIDs }
        #expect(Set(ids).count == ids.count, "an id names two models")
        for model in ClaudeCatalogue.models {
            #expect(model.price != nil, "\(model.id) has no price")
            #expect(!model.sources.isEmpty, "\(model.id) names no source")
            #expect(model.bedrockID.hasPrefix("anthropic.claude-"), "\(model.id)")
            #expect(!model.thinking.accepted.isEmpty, "\(model.id)")
            #expect(model.effort.levels.isEmpty == (model.effort.defaultLevel == nil), "\(model.id)")
        }
        #expect(ClaudeCatalogue.model(ClaudeCatalogue.defaultModelID)?.name == "Claude Haiku 5.5")
        #expect(ClaudeCatalogue.model("claude-haiku-4-5-20251001")?.id == "claude-haiku-4-5")
        #expect(ClaudeCatalogue.model("claude-sonnet-4") == nil, "retired")
    }

    @Test(arguments: [
        ("claude-haiku-5-5", Effort.low, ThinkingType?.some(.disabled)),
        ("claude-haiku-5-5", .max, nil),  // disabled only up to effort high
        ("claude-sonnet-5-5", .low, .betweenTools),
        ("claude-sonnet-5-5", .xhigh, nil),
        ("claude-opus-5-5", .low, nil),  // cannot be turned off
        ("claude-fable-5-1", .low, nil),
        ("claude-opus-5", .high, .disabled),
        ("claude-sonnet-5", .low, .disabled),
        ("claude-opus-4-7", .low, nil),  // off by default
        ("claude-haiku-4-5", .low, nil),
    ])
    func theLeastThinkingEachModelAllows(model: String, effort: Effort, expected: ThinkingType?) throws {
        let spec = try #require(ClaudeCatalogue.model(model))
        #expect(spec.leastThinking(at: effort) == expected)
    }

    @Test func whoThinksWhenAskedForTheLeast() throws {
        let thinkers = ClaudeCatalogue.models.filter { $0.thinks(with: $0.leastThinking(at: .low)) }.map(\.id)
        #expect(Set(thinkers) == ["claude-fable-5-2", "claude-fable-5-1", "claude-opus-5-5"])
    }

    @Test func imageTokensFollowTheTiers() {
        // platform.claude.com vision: 1920 × 1080 reads as 1456 × 819 on the standard tier.
        #expect(TokenRules.standard.readSize(width: 1920, height: 1080) == (1456, 819))
        #expect(TokenRules.standard.imageTokens(width: 1920, height: 1080) == 52 * 30)
        // The high-resolution tier reads a 1568 × 1176 rendition whole: 56 × 42 patches.
        #expect(TokenRules.highResolution.imageTokens(width: 1568, height: 1176) == 2352)
        #expect(TokenRules.highResolution.imageTokens(width: 6000, height: 4000) <= 4784)
        #expect(TokenRules.standard.imageTokens(width: 6000, height: 4000) <= 1568)
        // Small images are never enlarged.
        #expect(TokenRules.highResolution.readSize(width: 300, height: 200) == (300, 200))
        #expect(TokenRules.highResolution.textTokens(characters: 4000) == 1300)
    }

    @Test func theRenditionFitsTheStandardTierBudget() {
        let options = ImagingOptions()
        for (width, height) in [(4000, 3000), (6000, 4000), (1920, 1080), (3000, 3000), (8000, 1000), (640, 480)] {
            let edge = options.renditionEdge(width: width, height: height)
            let long = max(width, height)
            let size = (width: width * edge / long, height: height * edge / long)
            #expect(edge <= 1568 && edge <= long)
            #expect(TokenRules.highResolution.imageTokens(width: size.width, height: size.height) <= 1568)
        }
        #expect(options.renditionEdge(width: 640, height: 480) == 640, "never enlarged")
        #expect(options.renditionEdge(width: 8000, height: 1000) == 1568, "a panorama keeps the long edge")
    }
}
