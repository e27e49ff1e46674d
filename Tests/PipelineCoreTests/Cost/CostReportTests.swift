import PipelineCore
import Testing

/// Prices and the cost report's arithmetic.
@Suite struct CostReportTests {
    @Test func pricesExactIdsAndDatedSnapshots() {
        #expect(PriceList.price(for: "claude-sonnet-5-5")?.inputPerMillion == 2)
        #expect(PriceList.price(for: "claude-sonnet-4-5-20250929")?.model == "claude-sonnet-4-5")
        #expect(PriceList.price(for: "claude-opus-5-5")?.outputPerMillion == 20)
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
}
