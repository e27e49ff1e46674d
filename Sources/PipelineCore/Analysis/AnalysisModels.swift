/// Chooses the analysis model a process without libvips can use.
public enum AnalysisModels {
    /// The remote model for Analyzer: the Claude Messages API, or Claude on Amazon Bedrock with
    /// `COLLECTIONS_CLAUDE_PROVIDER=bedrock` (or a stand-in speaking either).
    /// - Parameters:
    ///   - environment: `ANTHROPIC_*` and `COLLECTIONS_CLAUDE_*` variables.
    ///   - parameters: where `COLLECTIONS_ANTHROPIC_API_KEY_PARAMETER` is read, when set.
    /// - Throws: ``ConfigurationError`` naming a missing or malformed variable.
    public static func remote(
        environment: [String: String], parameters: @autoclosure @Sendable () throws -> any ParameterStore
    ) async throws -> any AnalysisModel {
        if try ClaudeConfiguration.provider(environment) == .bedrock {
            // The function's IAM role signs: no Anthropic key is read, nor its parameter.
            return ClaudeAnalysisModel(configuration: try ClaudeConfiguration(environment: environment))
        }
        let key = try await ParameterSetting.read(
            "ANTHROPIC_API_KEY", orParameterNamedBy: "COLLECTIONS_ANTHROPIC_API_KEY_PARAMETER", in: environment,
            parameters: parameters)
        return ClaudeAnalysisModel(configuration: try ClaudeConfiguration(environment: environment, apiKey: key))
    }
}
