import Foundation

/// How Analyzer reaches the Messages API, and which model it asks.
public struct ClaudeConfiguration: Sendable {
    /// `ANTHROPIC_BASE_URL` (default `https://api.anthropic.com`): point it at the stand-in locally.
    public var baseURL = "https://api.anthropic.com"
    /// `ANTHROPIC_API_KEY`, or the SSM parameter `COLLECTIONS_ANTHROPIC_API_KEY_PARAMETER` names.
    public var apiKey: String
    /// `COLLECTIONS_CLAUDE_MODEL` (default ``defaultModel``): a catalogued id, or any id with
    /// `COLLECTIONS_CLAUDE_MODEL_UNLISTED=1`.
    public var model: ClaudeModelSpec
    /// `COLLECTIONS_CLAUDE_MAX_TOKENS`; nil: 1,024, or 4,096 when the model thinks first.
    public var maxTokens: Int?
    /// `COLLECTIONS_CLAUDE_EFFORT` (default `low`), sent as `output_config.effort` to models that take it.
    public var effort: Effort = .low
    /// `ANTHROPIC_VERSION` (default `2026-10-21`, the latest, which the official SDKs 2.x send;
    /// platform.claude.com/docs/en/api/versioning, read 2026-12-04).
    public var apiVersion = "2026-10-21"
    /// `COLLECTIONS_CLAUDE_PROVIDER=bedrock`: the Bedrock route; nil for the Claude API.
    public var bedrock: BedrockRoute?
    /// Retries on 429, 5xx, 529 and connection failures.
    public var retry = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(500), maxDelay: .seconds(20))
    /// The limit for one attempt.
    public var timeout: Duration = .seconds(60)

    /// Claude Haiku 5.5: made for classification and extraction, and the cheapest current model.
    public static let defaultModel = ClaudeCatalogue.defaultModelID

    /// Creates a configuration with a key, for the default model.
    public init(apiKey: String, model: ClaudeModelSpec = ClaudeCatalogue.model(Self.defaultModel)!) {
        self.apiKey = apiKey
        self.model = model
    }

    /// The `max_tokens` sent: the configured value, or room for the answer (and thinking, when
    /// the model thinks first).
    public var effectiveMaxTokens: Int {
        maxTokens ?? (model.thinks(with: model.leastThinking(at: effectiveEffort)) ? 4096 : 1024)
    }

    /// The effort sent, or nil for a model without the effort parameter.
    public var effectiveEffort: Effort? { model.effort.levels.isEmpty ? nil : effort }

    /// The provider `COLLECTIONS_CLAUDE_PROVIDER` names (default `anthropic`).
    /// - Throws: ``ConfigurationError`` for another value.
    public static func provider(_ environment: [String: String]) throws -> ClaudeProvider {
        let text = EnvironmentReader(environment: environment).string("COLLECTIONS_CLAUDE_PROVIDER") ?? "anthropic"
        guard let provider = ClaudeProvider(rawValue: text.lowercased()) else {
            throw ConfigurationError(
                variable: "COLLECTIONS_CLAUDE_PROVIDER", problem: "is \(text); use anthropic or bedrock")
        }
        return provider
    }

    /// The id stored with each analysis: the Claude API id, or the Bedrock profile invoked.
    public var modelID: String { bedrock.map { "\($0.modelID)" } ?? model.id }

    /// Reads the variables.
    /// - Parameter apiKey: the key when it came from SSM; otherwise, for the Claude API,
    ///   `ANTHROPIC_API_KEY` is required (Bedrock needs none: the AWS credentials sign).
    /// - Throws: ``ConfigurationError`` naming a missing or malformed variable, or a model outside
    ///   the catalogue (listing the catalogue's models).
    public init(environment: [String: String], apiKey: String? = nil) throws {
        let reader = EnvironmentReader(environment: environment)
        if try Self.provider(environment) == .bedrock {
            let (route, spec) = try BedrockRoute.resolve(
                reader, model: reader.string("COLLECTIONS_CLAUDE_MODEL") ?? Self.defaultModel,
                unlisted: reader.string("COLLECTIONS_CLAUDE_MODEL_UNLISTED") == "1")
            self.init(apiKey: "", model: spec)
            bedrock = route
            try readCommon(reader)
            return
        }
        guard let key = apiKey ?? reader.string("ANTHROPIC_API_KEY") else {
            throw ConfigurationError(
                variable: "ANTHROPIC_API_KEY",
                problem: "is not set (nor COLLECTIONS_ANTHROPIC_API_KEY_PARAMETER); locally, point "
                    + "ANTHROPIC_BASE_URL at `collections stand-ins` and use any key")
        }
        self.init(apiKey: key, model: try Self.model(reader))
        if let url = reader.string("ANTHROPIC_BASE_URL") {
            _ = try AWSEndpoint(url: url, region: "-", variable: "ANTHROPIC_BASE_URL")  // validates the URL
            baseURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        apiVersion = reader.string("ANTHROPIC_VERSION") ?? apiVersion
        try readCommon(reader)
    }

    /// The variables both providers read: the output cap and the effort.
    private mutating func readCommon(_ reader: EnvironmentReader) throws {
        maxTokens = try reader.integer("COLLECTIONS_CLAUDE_MAX_TOKENS", in: 256...64000)
        if let text = reader.string("COLLECTIONS_CLAUDE_EFFORT") {
            guard let level = Effort(rawValue: text.lowercased()) else {
                throw ConfigurationError(
                    variable: "COLLECTIONS_CLAUDE_EFFORT",
                    problem: "is \(text); use one of \(Effort.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard model.effort.levels.isEmpty || model.effort.levels.contains(level) else {
                throw ConfigurationError(
                    variable: "COLLECTIONS_CLAUDE_EFFORT",
                    problem: "is \(text), which \(model.name) does not accept; it takes "
                        + model.effort.levels.map(\.rawValue).joined(separator: ", "))
            }
            effort = level
        }
    }

    /// The catalogue entry `COLLECTIONS_CLAUDE_MODEL` names, or the unlisted shape when allowed.
    private static func model(_ reader: EnvironmentReader) throws -> ClaudeModelSpec {
        let id = reader.string("COLLECTIONS_CLAUDE_MODEL") ?? defaultModel
        if BedrockModelID(id) != nil {
            throw ConfigurationError(
                variable: "COLLECTIONS_CLAUDE_MODEL",
                problem: "is the Bedrock id \(id): set COLLECTIONS_CLAUDE_PROVIDER=bedrock, or use "
                    + (ClaudeCatalogue.model(id)?.id ?? "a Claude API id") + " on the Claude API")
        }
        if let spec = ClaudeCatalogue.model(id) { return spec }
        if reader.string("COLLECTIONS_CLAUDE_MODEL_UNLISTED") == "1" { return .unlisted(id) }
        throw ConfigurationError(
            variable: "COLLECTIONS_CLAUDE_MODEL",
            problem: "is \(id), which is not in the model catalogue (checked \(ClaudeCatalogue.readOn)): use one of "
                + ClaudeCatalogue.ids.joined(separator: ", ")
                + "; or set COLLECTIONS_CLAUDE_MODEL_UNLISTED=1 to call it with structured outputs, its default "
                + "thinking and no price")
    }
}
