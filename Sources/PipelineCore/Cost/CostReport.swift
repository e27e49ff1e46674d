/// Stored usage of one model in one stage.
public struct ModelUsage: Sendable, Equatable {
    /// `analysis` or `embedding`.
    public var stage: String
    /// The model id stored with the rows.
    public var model: String
    /// Rows: analyses or embeddings.
    public var calls: Int
    /// Input tokens over all rows.
    public var inputTokens: Int
    /// Output tokens over all rows, thinking included (0 for embeddings).
    public var outputTokens: Int
    /// Of ``outputTokens``, those spent thinking.
    public var thinkingTokens: Int
    /// Prompt-cache writes over all rows.
    public var cacheWriteTokens: Int
    /// Prompt-cache reads over all rows.
    public var cacheReadTokens: Int
    /// Whether these rows' prompts were over the model's long-prompt threshold (priced at its second tier).
    public var longPrompt: Bool

    /// Creates a usage line.
    public init(
        stage: String, model: String, calls: Int, inputTokens: Int, outputTokens: Int, thinkingTokens: Int = 0,
        cacheWriteTokens: Int = 0, cacheReadTokens: Int = 0, longPrompt: Bool = false
    ) {
        self.stage = stage
        self.model = model
        self.calls = calls
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.thinkingTokens = thinkingTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.cacheReadTokens = cacheReadTokens
        self.longPrompt = longPrompt
    }
}

/// What the stored usage cost at list prices.
public struct CostReport: Sendable {
    /// One priced usage line.
    public struct Line: Sendable {
        /// The usage.
        public var usage: ModelUsage
        /// Its price; nil when the model is not in ``PriceList``.
        public var price: ModelPrice?
        /// Dollars for all rows; nil when unpriced.
        public var cost: Double? {
            price?.cost(
                inputTokens: usage.inputTokens, outputTokens: usage.outputTokens,
                cacheWriteTokens: usage.cacheWriteTokens, cacheReadTokens: usage.cacheReadTokens)
        }
        /// Dollars per row; nil when unpriced or there are no rows.
        public var costPerCall: Double? { cost.flatMap { usage.calls > 0 ? $0 / Double(usage.calls) : nil } }
    }

    /// The lines, analysis first.
    public var lines: [Line]
    /// Items that have at least one analysis.
    public var images: Int

    /// Prices `usage` with `prices`.
    public init(
        usage: [ModelUsage], images: Int,
        prices: (String, Bool) -> ModelPrice? = { PriceList.price(for: $0, longPrompt: $1) }
    ) {
        lines = usage.map { Line(usage: $0, price: prices($0.model, $0.longPrompt)) }
        self.images = images
    }

    /// Dollars for everything priced.
    public var total: Double { lines.compactMap(\.cost).reduce(0, +) }

    /// Dollars per image: everything priced, over the images analysed (replays and re-analyses
    /// included, as they were paid for); nil with no images.
    public var perImage: Double? { images > 0 ? total / Double(images) : nil }

    /// Models with usage but no list price: their cost is left out of the totals.
    public var unpriced: [String] { lines.filter { $0.price == nil }.map(\.usage.model) }
}
