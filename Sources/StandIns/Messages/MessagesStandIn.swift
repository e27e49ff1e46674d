import Foundation
import Imaging
import PipelineCore

/// `POST /v1/messages` as the Messages API answers it, with the offline pixel model as its brain.
///
/// It refuses what the real API refuses, per model (``MessagesRules``, from ``ClaudeCatalogue``):
/// headers, fields, an unknown model (404), forced tool use where the model or its thinking forbid
/// it, thinking types and efforts the model does not take, `temperature`/`top_p`/`top_k` under
/// API version 2026-10-21, a prefill on 4.6 and later, structured-output schemas outside the
/// documented limits, and images that are not what they claim, over 5 MB or over 8000 px a side.
/// It answers in the real shape (``MessagesReply``): a `thinking` block first when the model
/// thinks, the JSON in a text block for structured outputs, usage counted as the model counts.
public struct MessagesStandIn: Sendable {
    /// The model that looks at the image.
    public let model: PixelAnalysisModel
    /// The largest decoded image, as the API allows.
    public static let maxImageBytes = ClaudeAnalysisModel.maxImageBytes
    /// The longest side, as the API allows.
    public static let maxImageEdge = 8000

    /// Creates the stand-in.
    public init(model: PixelAnalysisModel = PixelAnalysisModel(decoder: VipsPixelDecoder())) {
        self.model = model
    }

    /// Answers one request.
    /// - Returns: the response JSON.
    /// - Throws: ``APIErrorResponse`` for anything the real API refuses.
    public func respond(headers: [String: String], body: Data) async throws -> Data {
        // The API takes the key as `x-api-key` or, as the Python SDK 2.x sends it, `Authorization: Bearer`.
        let bearer = headers["authorization"].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let key = headers["x-api-key"] ?? bearer, !key.isEmpty else {
            throw APIErrorResponse(
                status: 401, type: "authentication_error", message: "x-api-key or Authorization header is required")
        }
        guard let version = headers["anthropic-version"], !version.isEmpty else {
            throw APIErrorResponse.invalid("anthropic-version: header is required")
        }
        guard ["2023-06-01", "2026-10-21"].contains(version) else {
            throw APIErrorResponse.invalid("anthropic-version: \(version) is not a valid version")
        }
        guard headers["content-type"]?.lowercased().hasPrefix("application/json") == true else {
            throw APIErrorResponse.invalid("content-type: must be application/json")
        }
        guard let request = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw APIErrorResponse.invalid("the request body is not a JSON object")
        }
        guard let modelName = request["model"] as? String, !modelName.isEmpty else {
            throw APIErrorResponse.invalid("model: Field required")
        }
        guard let maxTokens = request["max_tokens"] as? Int, maxTokens >= 1 else {
            throw APIErrorResponse.invalid("max_tokens: Field required (an integer of at least 1)")
        }
        guard let messages = request["messages"] as? [[String: Any]], !messages.isEmpty else {
            throw APIErrorResponse.invalid("messages: at least one message is required")
        }
        let rules = try MessagesRules.model(modelName)
        try rules.general(request, version: version, messages: messages)
        let effort = try rules.effort(request)
        let thinking = try rules.thinking(request, effort: effort, maxTokens: maxTokens)
        let thinks = rules.spec.thinks(with: thinking)
        let schema = try rules.outputSchema(request)
        let forced = try rules.forcedTool(request, thinks: thinks)
        let content = try MessageContent(messages)
        guard let first = content.images.first else {
            throw APIErrorResponse.invalid("the stand-in needs an image block to describe")
        }
        let output = try await model.analyze(
            AnalysisInput(
                data: first.data, mediaType: "image/jpeg", originalWidth: first.width, originalHeight: first.height))
        let reply = MessagesReply(
            spec: rules.spec, maxTokens: maxTokens,
            thinking: thinks ? (effort ?? rules.spec.effort.defaultLevel ?? .medium) : nil,
            budget: (request["thinking"] as? [String: Any])?["budget_tokens"] as? Int)
        let definitions: [Any] = [schema as Any?, request["tools"]].compactMap { $0 }
        let definitionCharacters = try JSONSerialization.data(withJSONObject: definitions).count
        return try reply.answer(
            output.analysis, content: content, structured: schema != nil, tool: forced,
            definitionCharacters: definitionCharacters)
    }
}
