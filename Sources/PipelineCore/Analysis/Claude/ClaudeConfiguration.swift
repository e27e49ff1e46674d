import Foundation

/// How Analyzer reaches the Messages API.
public struct ClaudeConfiguration: Sendable {
    /// `ANTHROPIC_BASE_URL` (default `https://api.anthropic.com`): point it at the stand-in locally.
    public var baseURL = "https://api.anthropic.com"
    /// `ANTHROPIC_API_KEY`, or the SSM parameter `COLLECTIONS_ANTHROPIC_API_KEY_PARAMETER` names.
    public var apiKey: String
    /// `COLLECTIONS_CLAUDE_MODEL` (default ``defaultModel``).
    public var model = ClaudeConfiguration.defaultModel
    /// `COLLECTIONS_CLAUDE_MAX_TOKENS` (default 1024).
    public var maxTokens = 1024
    /// `ANTHROPIC_VERSION` (default `2026-10-21`, the latest, which the official SDK sends).
    public var apiVersion = "2026-10-21"
    /// Retries on 429, 5xx, 529 and connection failures.
    public var retry = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(500), maxDelay: .seconds(20))
    /// The limit for one attempt.
    public var timeout: Duration = .seconds(60)

    /// A model the official Python SDK (anthropic 2.11.0) lists, with vision and tool use.
    public static let defaultModel = "claude-sonnet-5-5"

    /// Creates a configuration with a key.
    public init(apiKey: String) {
        self.apiKey = apiKey
    }

    /// Reads the variables.
    /// - Parameter apiKey: the key when it came from SSM; otherwise `ANTHROPIC_API_KEY` is required.
    /// - Throws: ``ConfigurationError`` naming a missing or malformed variable.
    public init(environment: [String: String], apiKey: String? = nil) throws {
        let reader = EnvironmentReader(environment: environment)
        guard let key = apiKey ?? reader.string("ANTHROPIC_API_KEY") else {
            throw ConfigurationError(
                variable: "ANTHROPIC_API_KEY",
                problem: "is not set (nor COLLECTIONS_ANTHROPIC_API_KEY_PARAMETER); locally, point "
                    + "ANTHROPIC_BASE_URL at `collections stand-ins` and use any key")
        }
        self.init(apiKey: key)
        if let url = reader.string("ANTHROPIC_BASE_URL") {
            _ = try AWSEndpoint(url: url, region: "-", variable: "ANTHROPIC_BASE_URL")  // validates the URL
            baseURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        model = reader.string("COLLECTIONS_CLAUDE_MODEL") ?? model
        maxTokens = try reader.integer("COLLECTIONS_CLAUDE_MAX_TOKENS", in: 256...64000) ?? maxTokens
        apiVersion = reader.string("ANTHROPIC_VERSION") ?? apiVersion
    }
}
