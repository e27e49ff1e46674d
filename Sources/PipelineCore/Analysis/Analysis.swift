/// A structured description of one image: what Analyzer stores and Embedder embeds.
public struct Analysis: Codable, Sendable, Equatable {
    /// One of ``AnalysisCategory``'s values.
    public var category: AnalysisCategory
    /// One sentence.
    public var summary: String
    /// A few sentences with the details worth searching for.
    public var description: String
    /// Short lowercase keywords.
    public var tags: [String]
    /// Things visible in the image.
    public var objects: [String]
    /// Dominant colours in words, most prominent first.
    public var colors: [String]
    /// Text legible in the image, verbatim; empty when there is none.
    public var detectedText: String

    enum CodingKeys: String, CodingKey {
        case category, summary, description, tags, objects, colors
        case detectedText = "detected_text"
    }

    /// Creates an analysis.
    public init(
        category: AnalysisCategory, summary: String, description: String, tags: [String], objects: [String] = [],
        colors: [String] = [], detectedText: String = ""
    ) {
        self.category = category
        self.summary = summary
        self.description = description
        self.tags = tags
        self.objects = objects
        self.colors = colors
        self.detectedText = detectedText
    }
}

/// The categories an analysis may choose from. Documented in the README; extend by adding cases.
public enum AnalysisCategory: String, Codable, Sendable, CaseIterable {
    case people, animals, food, nature, landscape, architecture, city, vehicles, documents, screenshots, art,
        objects, abstract, other
}

/// Tokens the analysis model reported using, as the Messages API's `usage` gives them.
public struct TokenUsage: Codable, Sendable, Equatable {
    /// Input tokens not read from or written to the cache, images included.
    public var inputTokens: Int
    /// Output tokens, thinking included: what output is billed by.
    public var outputTokens: Int
    /// Of ``outputTokens``, those spent thinking (`output_tokens_details.thinking_tokens`).
    public var thinkingTokens: Int
    /// Input tokens written to the cache (`cache_creation_input_tokens`).
    public var cacheWriteTokens: Int
    /// Input tokens read from the cache (`cache_read_input_tokens`).
    public var cacheReadTokens: Int

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case thinkingTokens = "thinking_tokens"
        case cacheWriteTokens = "cache_creation_input_tokens"
        case cacheReadTokens = "cache_read_input_tokens"
    }

    /// Creates a usage record.
    public init(
        inputTokens: Int, outputTokens: Int, thinkingTokens: Int = 0, cacheWriteTokens: Int = 0,
        cacheReadTokens: Int = 0
    ) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.thinkingTokens = thinkingTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.cacheReadTokens = cacheReadTokens
    }

    /// Reads a usage record; the fields added after the first two default to 0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        inputTokens = try container.decode(Int.self, forKey: .inputTokens)
        outputTokens = try container.decode(Int.self, forKey: .outputTokens)
        thinkingTokens = try container.decodeIfPresent(Int.self, forKey: .thinkingTokens) ?? 0
        cacheWriteTokens = try container.decodeIfPresent(Int.self, forKey: .cacheWriteTokens) ?? 0
        cacheReadTokens = try container.decodeIfPresent(Int.self, forKey: .cacheReadTokens) ?? 0
    }

    /// The whole prompt: what decides a long-prompt price tier.
    public var promptTokens: Int { inputTokens + cacheWriteTokens + cacheReadTokens }
}
