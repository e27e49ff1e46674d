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

/// Tokens the analysis model reported using.
public struct TokenUsage: Codable, Sendable, Equatable {
    /// Input tokens, images included.
    public var inputTokens: Int
    /// Output tokens.
    public var outputTokens: Int

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
    }

    /// Creates a usage record.
    public init(inputTokens: Int, outputTokens: Int) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }
}
