/// Whether a text is stored for search or is a search.
public enum EmbeddingInputType: String, Sendable, Codable {
    /// Item text stored for retrieval.
    case document
    /// A search query.
    case query
}

/// Something that turns texts into vectors: Voyage in production, ``HashingEmbedder`` offline.
public protocol EmbeddingModel: Sendable {
    /// The model id stored with each vector.
    var modelID: String { get }
    /// The length of each vector.
    var dimensions: Int { get }
    /// How many texts one call may carry.
    var maxBatchSize: Int { get }

    /// Embeds texts, returning vectors in the same order.
    /// - Parameters:
    ///   - texts: the texts, at most ``maxBatchSize``.
    ///   - inputType: whether these are documents or queries.
    func embed(_ texts: [String], as inputType: EmbeddingInputType) async throws -> EmbeddingBatch
}

/// Vectors for a batch of texts.
public struct EmbeddingBatch: Sendable {
    /// One vector per text, in input order.
    public var vectors: [[Float]]
    /// Tokens the provider counted for the whole batch.
    public var totalTokens: Int

    /// Creates a batch.
    public init(vectors: [[Float]], totalTokens: Int) {
        self.vectors = vectors
        self.totalTokens = totalTokens
    }
}

/// Why texts could not be embedded.
public struct EmbeddingError: Error, CustomStringConvertible, Equatable {
    /// A sentence naming the problem.
    public let message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
