/// A model's list price in US dollars per million tokens, at one price tier.
public struct ModelPrice: Sendable, Equatable {
    /// The model id, or the id a dated snapshot id starts with.
    public var model: String
    /// Dollars per million input tokens (for Claude, images included).
    public var inputPerMillion: Double
    /// Dollars per million output tokens (0 for embedding models).
    public var outputPerMillion: Double
    /// Dollars per million tokens written to the prompt cache (5-minute cache).
    public var cacheWritePerMillion: Double
    /// Dollars per million tokens read from the prompt cache.
    public var cacheReadPerMillion: Double

    /// Creates a price.
    public init(
        model: String, inputPerMillion: Double, outputPerMillion: Double = 0, cacheWritePerMillion: Double = 0,
        cacheReadPerMillion: Double = 0
    ) {
        self.model = model
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
        self.cacheWritePerMillion = cacheWritePerMillion
        self.cacheReadPerMillion = cacheReadPerMillion
    }

    /// The cost of some usage, in dollars.
    public func cost(inputTokens: Int, outputTokens: Int = 0, cacheWriteTokens: Int = 0, cacheReadTokens: Int = 0)
        -> Double
    {
        (Double(inputTokens) * inputPerMillion + Double(outputTokens) * outputPerMillion
            + Double(cacheWriteTokens) * cacheWritePerMillion + Double(cacheReadTokens) * cacheReadPerMillion)
            / 1_000_000
    }
}

/// The one place cost reports get prices from: Claude models from ``ClaudeCatalogue`` (with their
/// long-prompt tier), embedding and offline models from the table below.
///
/// Voyage: docs.voyageai.com/docs/pricing (per-token prices of the text embedding models, read
/// 2026-11-21). Batch discounts and free tiers are not applied. The offline models cost nothing.
public enum PriceList {
    /// When the prices were read.
    public static let asOf = ClaudeCatalogue.readOn

    /// Embedding and offline models.
    public static let models: [ModelPrice] = [
        ModelPrice(model: "voyage-4-large", inputPerMillion: 0.12),
        ModelPrice(model: "voyage-4", inputPerMillion: 0.06),
        ModelPrice(model: "voyage-4-lite", inputPerMillion: 0.02),
        ModelPrice(model: "voyage-3.5", inputPerMillion: 0.06),
        ModelPrice(model: "voyage-3.5-lite", inputPerMillion: 0.02),
        ModelPrice(model: "collections-pixels-v1", inputPerMillion: 0),
        ModelPrice(model: "collections-hash-v1", inputPerMillion: 0),
    ]

    /// What Bedrock charges for a geographic inference profile (`us.`, `eu.`, …) over the global
    /// one, which is priced as the Claude API: about 10% more
    /// (docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html, read 2026-12-04).
    public static let bedrockGeographicFactor = 1.1

    /// The price of `model` for prompts in its base tier, or over its long-prompt threshold;
    /// nil when unlisted. A Claude id may be an alias, a dated snapshot id, or a Bedrock id or
    /// inference profile the catalogue knows.
    public static func price(for model: String, longPrompt: Bool = false) -> ModelPrice? {
        if let spec = ClaudeCatalogue.model(model), let price = spec.price {
            let rates = longPrompt ? (price.longPrompt ?? price.base) : price.base
            let factor = BedrockModelID(model)?.isGeographic == true ? bedrockGeographicFactor : 1
            return ModelPrice(
                model: BedrockModelID(model) == nil ? spec.id : model, inputPerMillion: rates.input * factor,
                outputPerMillion: rates.output * factor, cacheWritePerMillion: rates.cacheWrite5m * factor,
                cacheReadPerMillion: rates.cacheRead * factor)
        }
        return models.first { $0.model == model }
    }

    /// Who bills a model: `Claude API`, `Bedrock` (with the profile's geography), `Voyage`, `offline`.
    public static func provider(of model: String) -> String {
        if let bedrock = BedrockModelID(model) { return "Bedrock (\(bedrock.geography ?? "on demand"))" }
        if ClaudeCatalogue.model(model) != nil || model.hasPrefix("claude-") { return "Claude API" }
        if model.hasPrefix("voyage-") { return "Voyage" }
        return model.hasPrefix("collections-") ? "offline" : "unknown"
    }
}
