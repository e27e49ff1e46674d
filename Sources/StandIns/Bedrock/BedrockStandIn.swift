import Foundation
import PipelineCore

/// Bedrock Runtime's `POST /model/{modelId}/invoke` for Claude, as AWS answers it: the SigV4
/// signature checked against the stand-in's credentials (service `bedrock`, the encoded path),
/// the model id resolved through ``ClaudeCatalogue`` (a bare id that needs an inference profile is
/// refused as Bedrock refuses it), the body checked as Bedrock's Messages body
/// (`anthropic_version: bedrock-2023-05-31`, no `model`), then the same per-model rules and
/// answer as ``MessagesStandIn``. Errors carry `x-amzn-ErrorType` and `{"message"}`.
public struct BedrockStandIn: Sendable {
    /// The Messages API stand-in the request is passed on to.
    public let messages: MessagesStandIn
    private let verifier: SigV4Verifier

    /// Creates the stand-in.
    /// - Parameter credentials: the keys requests must be signed with.
    public init(messages: MessagesStandIn = MessagesStandIn(), credentials: [AWSCredentials]) {
        self.messages = messages
        verifier = SigV4Verifier(credentials: credentials, service: "bedrock")
    }

    /// One answer: status, headers and body.
    public struct Answer: Sendable {
        /// The status.
        public var status: Int
        /// Headers beyond `content-type`.
        public var headers: [(String, String)]
        /// The body.
        public var body: Data
    }

    /// Whether `path` is an InvokeModel path.
    public static func isInvokePath(_ path: String) -> Bool { path.hasPrefix("/model/") && path.hasSuffix("/invoke") }

    /// Answers one InvokeModel request; `path` as sent (percent-encoded).
    public func respond(
        method: String, path: String, query: String, headers: [String: String], body: Data, requestID: String
    ) async -> Answer {
        do {
            try verifier.verify(method: method, path: path, query: query, headers: headers, body: body)
            let encoded = path.dropFirst("/model/".count).dropLast("/invoke".count)
            let id = String(encoded).removingPercentEncoding ?? String(encoded)
            let anthropicBody = try Self.messagesBody(id: id, body: body)
            var forwarded = headers
            forwarded["anthropic-version"] = "2026-10-21"
            forwarded["x-api-key"] = "bedrock"
            forwarded["content-type"] = "application/json"
            let json = try await messages.respond(headers: forwarded, body: anthropicBody)
            return Answer(status: 200, headers: [("x-amzn-RequestId", requestID)], body: json)
        } catch let refusal as SigV4Verifier.Refusal {
            return Self.error(refusal.status, refusal.type, refusal.message, requestID: requestID)
        } catch let error as APIErrorResponse {
            // The Messages rules' refusals are Bedrock's ValidationException (400).
            let type = error.status == 404 ? "ResourceNotFoundException" : "ValidationException"
            return Self.error(error.status == 404 ? 404 : 400, type, error.message, requestID: requestID)
        } catch {
            return Self.error(500, "InternalServerException", "\(error)", requestID: requestID)
        }
    }

    /// The Messages body with the catalogue's Claude API id as `model`, after Bedrock's own checks.
    private static func messagesBody(id: String, body: Data) throws -> Data {
        guard let parsed = BedrockModelID(id), let spec = ClaudeCatalogue.model(id) else {
            throw APIErrorResponse.invalid("The provided model identifier is invalid.")
        }
        guard let geography = parsed.geography, spec.bedrockGeographies.contains(geography) else {
            throw APIErrorResponse.invalid(
                "Invocation of model ID \(id) with on-demand throughput isn’t supported. Retry your request with "
                    + "the ID or ARN of an inference profile that contains this model.")
        }
        guard var request = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw APIErrorResponse.invalid("Malformed input request, please reformat your input and try again.")
        }
        guard request["anthropic_version"] as? String == BedrockRoute.anthropicVersion else {
            throw APIErrorResponse.invalid(
                "Malformed input request: #: required key [anthropic_version] not found or not "
                    + "\(BedrockRoute.anthropicVersion), please reformat your input and try again.")
        }
        guard request["model"] == nil else {
            throw APIErrorResponse.invalid(
                "Malformed input request: #: extraneous key [model] is not permitted, please reformat your input "
                    + "and try again.")
        }
        request["anthropic_version"] = nil
        request["model"] = spec.id
        return try JSONSerialization.data(withJSONObject: request)
    }

    /// An error in Bedrock's shape.
    public static func error(_ status: Int, _ type: String, _ message: String, requestID: String) -> Answer {
        let body = (try? JSONSerialization.data(withJSONObject: ["message": message])) ?? Data()
        return Answer(
            status: status,
            headers: [
                ("x-amzn-ErrorType", "\(type):http://internal.amazon.com/coral/com.amazon.bedrock/"),
                ("x-amzn-RequestId", requestID),
            ], body: body)
    }
}
