import PipelineCore
import Testing

/// Prices (from the model catalogue for Claude) and the cost report's arithmetic.
@Suite struct CostReportTests {
    @Test func pricesCatalogueIdsAliasesAndDatedSnapshots() {
        #expect(PriceList.price(for: "claude-sonnet-5-5")?.inputPerMillion == 2)
        #expect(PriceList.price(for: "claude-sonnet-4-5-20250929")?.model == "claude-sonnet-4-5")
        #expect(PriceList.price(for: "claude-opus-5-5")?.outputPerMillion == 20)
        #expect(PriceList.price(for: "claude-haiku-5-5")?.inputPerMillion == 0.10)
        #expect(PriceList.price(for: "claude-haiku-5-5", longPrompt: true)?.inputPerMillion == 0.50)
        #expect(PriceList.price(for: "claude-haiku-5-5", longPrompt: true)?.outputPerMillion == 2.50)
        #expect(PriceList.price(for: "claude-haiku-4-5", longPrompt: true)?.inputPerMillion == 1, "no second tier")
        #expect(PriceList.price(for: "voyage-4-lite")?.inputPerMillion == 0.02)
        #expect(PriceList.price(for: "claude-sonnet-5-5-turbo") == nil)
        #expect(PriceList.price(for: "gpt-4") == nil)
    }

    @Test func costsPerImageAndLeavesUnlistedModelsOut() {
        let report = CostReport(
            usage: [
                ModelUsage(
                    stage: "analysis", model: "claude-sonnet-5-5", calls: 4, inputTokens: 8_000, outputTokens: 1_000),
                ModelUsage(stage: "analysis", model: "mystery-model", calls: 1, inputTokens: 10, outputTokens: 10),
                ModelUsage(stage: "embedding", model: "voyage-4", calls: 4, inputTokens: 400, outputTokens: 0),
            ], images: 4)
        // 8,000 × $2/M + 1,000 × $10/M = $0.026; 400 × $0.06/M = $0.000024.
        #expect(abs(report.total - 0.026024) < 1e-12)
        #expect(abs((report.perImage ?? 0) - 0.006506) < 1e-12)
        #expect(abs((report.lines[0].costPerCall ?? 0) - 0.0065) < 1e-12)
        #expect(report.unpriced == ["mystery-model"])
        #expect(CostReport(usage: [], images: 0).perImage == nil)
    }

    @Test func pricesLongPromptsAtTheSecondTierAndCacheTokensAtTheirRates() {
        let report = CostReport(
            usage: [
                ModelUsage(
                    stage: "analysis", model: "claude-haiku-5-5", calls: 10, inputTokens: 20_000, outputTokens: 4_000,
                    thinkingTokens: 1_000, cacheWriteTokens: 1_000, cacheReadTokens: 10_000),
                ModelUsage(
                    stage: "analysis", model: "claude-haiku-5-5", calls: 1, inputTokens: 150_000, outputTokens: 1_000,
                    longPrompt: true),
            ], images: 11)
        // Base tier: 20,000 × 0.10 + 4,000 × 0.50 (thinking is inside output) + 1,000 × 0.125 + 10,000 × 0.01.
        #expect(abs((report.lines[0].cost ?? 0) - 4.225e-3) < 1e-12)
        // Long-prompt tier: 150,000 × 0.50 + 1,000 × 2.50.
        #expect(abs((report.lines[1].cost ?? 0) - 0.0775) < 1e-12)
    }

    @Test func perRequestTiersFollowThePromptSize() throws {
        let price = try #require(ClaudeCatalogue.model("claude-haiku-5-5")?.price)
        let small = TokenUsage(inputTokens: 2_000, outputTokens: 300)
        let large = TokenUsage(inputTokens: 90_000, outputTokens: 300, cacheReadTokens: 20_000)
        #expect(abs(price.cost(of: small) - (2_000 * 0.10 + 300 * 0.50) / 1e6) < 1e-15)
        #expect(abs(price.cost(of: large) - (90_000 * 0.50 + 300 * 2.50 + 20_000 * 0.05) / 1e6) < 1e-15)
    }

    @Test func theRepositorysThresholdIsEveryTieredModelsThreshold() {
        let thresholds = ClaudeCatalogue.models.compactMap { $0.price?.longPromptThreshold }
        #expect(!thresholds.isEmpty)
        #expect(thresholds.allSatisfy { $0 == UsageRepository.longPromptThreshold })
    }
}
