/// A Claude model's list prices in US dollars per million tokens, with the higher tier some
/// models charge for long prompts.
public struct ClaudePrice: Sendable, Equatable {
    /// Per-million prices for one tier.
    public struct Rates: Sendable, Equatable {
        /// Input tokens (images included).
        public var input: Double
        /// Output tokens (thinking included).
        public var output: Double
        /// Writing the 5-minute cache.
        public var cacheWrite5m: Double
        /// Writing the 1-hour cache.
        public var cacheWrite1h: Double
        /// Reading the cache.
        public var cacheRead: Double

        /// Creates rates.
        public init(input: Double, output: Double, cacheWrite5m: Double, cacheWrite1h: Double, cacheRead: Double) {
            self.input = input
            self.output = output
            self.cacheWrite5m = cacheWrite5m
            self.cacheWrite1h = cacheWrite1h
            self.cacheRead = cacheRead
        }
    }

    /// Prices for prompts up to ``longPromptThreshold`` tokens (all prompts when it is nil).
    public var base: Rates
    /// Prices for prompts over ``longPromptThreshold`` tokens, where the model has a second tier.
    public var longPrompt: Rates?
    /// The prompt size (input, cache writes and cache reads) above which ``longPrompt`` applies.
    public var longPromptThreshold: Int?
    /// The Message Batches API's discount on every rate (0.5: half price).
    public var batchFactor: Double = 0.5

    /// Creates prices.
    public init(base: Rates, longPrompt: Rates? = nil, longPromptThreshold: Int? = nil) {
        self.base = base
        self.longPrompt = longPrompt
        self.longPromptThreshold = longPromptThreshold
    }

    /// The rates for one request whose prompt is `promptTokens` long.
    public func rates(promptTokens: Int) -> Rates {
        if let longPrompt, let longPromptThreshold, promptTokens > longPromptThreshold { return longPrompt }
        return base
    }

    /// The cost in dollars of one request's usage, at the tier its prompt falls in.
    public func cost(of usage: TokenUsage) -> Double {
        let rates = rates(promptTokens: usage.promptTokens)
        let dollars =
            Double(usage.inputTokens) * rates.input + Double(usage.outputTokens) * rates.output
            + Double(usage.cacheWriteTokens) * rates.cacheWrite5m + Double(usage.cacheReadTokens) * rates.cacheRead
        return dollars / 1_000_000
    }
}
