/// A model's list price in US dollars per million tokens.
public struct ModelPrice: Sendable, Equatable {
    /// The model id, or the id a dated snapshot id starts with.
    public var model: String
    /// Dollars per million input tokens (for Claude, images included).
    public var inputPerMillion: Double
    /// Dollars per million output tokens (0 for embedding models).
    public var outputPerMillion: Double

    /// Creates a price.
    public init(model: String, inputPerMillion: Double, outputPerMillion: Double = 0) {
        self.model = model
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
    }

    /// The cost of some usage, in dollars.
    public func cost(inputTokens: Int, outputTokens: Int = 0) -> Double {
        (Double(inputTokens) * inputPerMillion + Double(outputTokens) * outputPerMillion) / 1_000_000
    }
}

/// The one table of list prices cost reports use. Update it (and ``asOf``) when prices change.
///
/// Claude: platform.claude.com's models and pricing pages (Haiku 5.5 is listed "from" its price);
/// Voyage: its per-token prices for the text embedding models. Batch discounts, prompt caching
/// and free tiers are not applied. The offline models cost nothing.
public enum PriceList {
    /// When the prices were read.
    public static let asOf = "2026-11-21"

    /// The prices.
    public static let models: [ModelPrice] = [
        ModelPrice(model: "claude-fable-5-1", inputPerMillion: 10, outputPerMillion: 50),
        ModelPrice(model: "claude-opus-5-5", inputPerMillion: 4, outputPerMillion: 20),
        ModelPrice(model: "claude-opus-5", inputPerMillion: 5, outputPerMillion: 25),
        ModelPrice(model: "claude-sonnet-5-5", inputPerMillion: 2, outputPerMillion: 10),
        ModelPrice(model: "claude-sonnet-5", inputPerMillion: 2, outputPerMillion: 10),
        ModelPrice(model: "claude-haiku-5-5", inputPerMillion: 0.10, outputPerMillion: 0.50),
        ModelPrice(model: "claude-opus-4-5", inputPerMillion: 5, outputPerMillion: 25),
        ModelPrice(model: "claude-sonnet-4-5", inputPerMillion: 3, outputPerMillion: 15),
        ModelPrice(model: "claude-haiku-4-5", inputPerMillion: 1, outputPerMillion: 5),
        ModelPrice(model: "voyage-4-large", inputPerMillion: 0.12),
        ModelPrice(model: "voyage-4", inputPerMillion: 0.06),
        ModelPrice(model: "voyage-4-lite", inputPerMillion: 0.02),
        ModelPrice(model: "voyage-3.5", inputPerMillion: 0.06),
        ModelPrice(model: "voyage-3.5-lite", inputPerMillion: 0.02),
        ModelPrice(model: "collections-pixels-v1", inputPerMillion: 0),
        ModelPrice(model: "collections-hash-v1", inputPerMillion: 0),
    ]

    /// The price of `model`: an exact match, else the entry a dated snapshot id extends
    /// (`claude-sonnet-4-5-20250929` is priced as `claude-sonnet-4-5`); nil when unlisted.
    public static func price(for model: String) -> ModelPrice? {
        if let exact = models.first(where: { $0.model == model }) { return exact }
        return models.filter { entry in
            model.hasPrefix(entry.model + "-") && model.dropFirst(entry.model.count + 1).allSatisfy(\.isNumber)
        }.max { $0.model.count < $1.model.count }
    }
}
