import Foundation

/// How Embedder and `collections search` reach the Voyage embeddings API.
public struct VoyageConfiguration: Sendable {
    /// `VOYAGE_BASE_URL` (default `https://api.voyageai.com`; a trailing `/v1` is accepted, as the
    /// Python SDK writes it): point it at `collections stand-ins` locally.
    public var baseURL = "https://api.voyageai.com"
    /// `VOYAGE_API_KEY`, or the SSM parameter `COLLECTIONS_VOYAGE_API_KEY_PARAMETER` names.
    public var apiKey: String
    /// `COLLECTIONS_VOYAGE_MODEL` (default `voyage-4`).
    public var model = "voyage-4"
    /// `COLLECTIONS_EMBEDDING_DIMENSIONS`: Voyage's `output_dimension`, one of 256, 512, 1024, 2048.
    public var dimensions = 1024
    /// Texts per request: the API takes at most 1,000.
    public var maxBatchTexts = 1000
    /// Tokens per request (`COLLECTIONS_VOYAGE_MAX_BATCH_TOKENS`, default from ``batchTokenLimit(model:)``).
    public var maxBatchTokens: Int
    /// Retries on 429, 5xx and connection failures.
    public var retry = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(500), maxDelay: .seconds(20))
    /// `COLLECTIONS_VOYAGE_TIMEOUT_SECONDS` (default 30): the limit for one attempt.
    public var timeout: Duration = .seconds(30)

    /// The dimensions `output_dimension` accepts.
    public static let outputDimensions: Set<Int> = [256, 512, 1024, 2048]

    /// Creates a configuration with a key and the defaults.
    public init(apiKey: String, model: String = "voyage-4") {
        self.apiKey = apiKey
        self.model = model
        self.maxBatchTokens = Self.batchTokenLimit(model: model)
    }

    /// The documented per-request token limit: 1M for the lite models, 320K for the mid-size
    /// ones, 120K for the large and domain models (the most conservative for names we don't know).
    public static func batchTokenLimit(model: String) -> Int {
        if model.hasSuffix("-lite") { return 1_000_000 }
        if ["voyage-4", "voyage-3.5", "voyage-2"].contains(model) { return 320_000 }
        return 120_000
    }

    /// Reads the variables.
    /// - Parameter apiKey: the key when it came from SSM; otherwise `VOYAGE_API_KEY` is required.
    /// - Throws: ``ConfigurationError`` naming a missing or malformed variable.
    public init(environment: [String: String], apiKey: String? = nil) throws {
        let reader = EnvironmentReader(environment: environment)
        guard let key = apiKey ?? reader.string("VOYAGE_API_KEY") else {
            throw ConfigurationError(
                variable: "VOYAGE_API_KEY",
                problem: "is not set (nor COLLECTIONS_VOYAGE_API_KEY_PARAMETER); locally, point "
                    + "VOYAGE_BASE_URL at `collections stand-ins` and use any key")
        }
        self.init(apiKey: key, model: reader.string("COLLECTIONS_VOYAGE_MODEL") ?? "voyage-4")
        if var url = reader.string("VOYAGE_BASE_URL") {
            _ = try AWSEndpoint(url: url, region: "-", variable: "VOYAGE_BASE_URL")  // validates the URL
            while url.hasSuffix("/") { url.removeLast() }
            if url.hasSuffix("/v1") { url.removeLast(3) }
            baseURL = url
        }
        if let dimensions = try reader.integer("COLLECTIONS_EMBEDDING_DIMENSIONS", in: 1...4096) {
            guard Self.outputDimensions.contains(dimensions) else {
                throw ConfigurationError(
                    variable: "COLLECTIONS_EMBEDDING_DIMENSIONS",
                    problem: "must be 256, 512, 1024 or 2048 for Voyage, not \(dimensions)")
            }
            self.dimensions = dimensions
        }
        maxBatchTokens = try reader.integer("COLLECTIONS_VOYAGE_MAX_BATCH_TOKENS", in: 1...1_000_000) ?? maxBatchTokens
        if let seconds = try reader.integer("COLLECTIONS_VOYAGE_TIMEOUT_SECONDS", in: 1...900) {
            timeout = .seconds(seconds)
        }
    }
}
