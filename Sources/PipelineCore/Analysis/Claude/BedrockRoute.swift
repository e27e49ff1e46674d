import Foundation

/// Where Claude is reached: the Claude API with a key, or Amazon Bedrock with the function's IAM role.
public enum ClaudeProvider: String, Sendable, CaseIterable {
    /// `api.anthropic.com` (or `ANTHROPIC_BASE_URL`), `x-api-key`.
    case anthropic
    /// Bedrock Runtime's InvokeModel, signed with SigV4 as `bedrock`.
    case bedrock
}

/// How Analyzer calls Claude on Amazon Bedrock: `POST /model/{modelId}/invoke` on
/// `bedrock-runtime.{region}.amazonaws.com` (or `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`, then
/// `AWS_ENDPOINT_URL`), signed with the function's credentials (session token included), with the
/// Messages body less `model` and with `anthropic_version: bedrock-2023-05-31`
/// (docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html and
/// userguide/model-parameters-anthropic-claude-messages-request-response.html, read 2026-12-04).
public struct BedrockRoute: Sendable {
    /// The signed client.
    public var client: AWSClient
    /// Bedrock Runtime's endpoint.
    public var endpoint: AWSEndpoint
    /// The inference profile (or, for an uncatalogued model, any id) to invoke.
    public var modelID: BedrockModelID

    /// The body's `anthropic_version` on Bedrock.
    public static let anthropicVersion = "bedrock-2023-05-31"

    /// Creates a route.
    public init(client: AWSClient, endpoint: AWSEndpoint, modelID: BedrockModelID) {
        self.client = client
        self.endpoint = endpoint
        self.modelID = modelID
    }

    /// Reads the route from the environment: `AWS_REGION`, the AWS credentials and endpoint
    /// variables, and `COLLECTIONS_CLAUDE_MODEL`: a Claude API id (called through the region's
    /// geographic profile), a Bedrock inference-profile id, or, with `unlisted`, any id.
    /// - Returns: the route and the catalogue entry its model follows.
    /// - Throws: ``ConfigurationError`` for a bare id that needs a profile, a geography the model
    ///   is not offered in, or an uncatalogued model.
    static func resolve(_ reader: EnvironmentReader, model id: String, unlisted: Bool) throws -> (
        BedrockRoute, ClaudeModelSpec
    ) {
        let endpoint = try AWSEndpoint.resolve(.bedrockRuntime, environment: reader.environment)
        let client = AWSClient(credentials: try AWSCredentials(environment: reader.environment))
        let variable = "COLLECTIONS_CLAUDE_MODEL"
        guard let spec = ClaudeCatalogue.model(id) else {
            guard unlisted, let parsed = BedrockModelID(id) else {
                throw ConfigurationError(
                    variable: variable,
                    problem: "is \(id), which is not in the model catalogue: with COLLECTIONS_CLAUDE_PROVIDER=bedrock "
                        + "use a Claude API id (\(ClaudeCatalogue.ids.joined(separator: ", "))) or an inference "
                        + "profile such as us.anthropic.claude-haiku-5-5; COLLECTIONS_CLAUDE_MODEL_UNLISTED=1 "
                        + "allows another anthropic. id")
            }
            return (BedrockRoute(client: client, endpoint: endpoint, modelID: parsed), .unlisted(id))
        }
        let modelID: BedrockModelID
        if let parsed = BedrockModelID(id) {
            guard let geography = parsed.geography else {
                throw ConfigurationError(
                    variable: variable,
                    problem: "is the bare Bedrock id \(id), which Bedrock refuses on demand (ValidationException: "
                        + "on-demand throughput isn't supported): call it through an inference profile, "
                        + spec.bedrockGeographies.map { "\($0).\(spec.bedrockID)" }.joined(separator: ", "))
            }
            guard spec.bedrockGeographies.contains(geography) else {
                throw ConfigurationError(
                    variable: variable,
                    problem: "is \(id), but \(spec.name) has no \(geography) inference profile; it has "
                        + spec.bedrockGeographies.joined(separator: ", "))
            }
            modelID = parsed
        } else {
            let wanted = BedrockModelID.geography(forRegion: endpoint.region)
            let geography = spec.bedrockGeographies.contains(wanted) ? wanted : "global"
            modelID = BedrockModelID(geography: geography, foundationModel: spec.bedrockID)
        }
        return (BedrockRoute(client: client, endpoint: endpoint, modelID: modelID), spec)
    }
}
