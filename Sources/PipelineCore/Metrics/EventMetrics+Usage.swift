import Foundation

extension EventMetrics {
    /// Records one Claude call's tokens and what it cost at the catalogue's list price (its
    /// long-prompt tier when the prompt was over the threshold, as `collections cost` prices it).
    /// An unlisted model's cost is not recorded: nothing would say what it is.
    public static func record(usage: TokenUsage, model: String) {
        guard let current else { return }
        let prompt = usage.inputTokens + usage.cacheWriteTokens + usage.cacheReadTokens
        current.add(.inputTokens, Double(prompt), model: model)
        current.add(.outputTokens, Double(usage.outputTokens), model: model)
        current.add(.thinkingTokens, Double(usage.thinkingTokens), model: model)
        let longPrompt = prompt > UsageRepository.longPromptThreshold
        if let price = PriceList.price(for: model, longPrompt: longPrompt) {
            let cost = price.cost(
                inputTokens: usage.inputTokens, outputTokens: usage.outputTokens,
                cacheWriteTokens: usage.cacheWriteTokens, cacheReadTokens: usage.cacheReadTokens)
            current.add(.costUSD, cost, model: model)
        }
    }
}
