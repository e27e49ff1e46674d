import Foundation
import PipelineCore

/// The per-model rules the Messages API enforces on a request, from ``ClaudeCatalogue``: each
/// throws the 400 (or 404) the real API answers, with a message like its own.
///
/// Sources (platform.claude.com/docs/en/…, read 2026-12-04): `api/versioning` (2026-10-21 removed
/// `temperature`, `top_p`, `top_k`); `models/fable-5-1/whats-new-fable-5-1`, `…/opus-5-5/…`,
/// `…/sonnet-5-5/…` (forced tool use; thinking types); `build-with-claude/thinking-troubleshooting`
/// (types per model; forced tool use while thinking); `about-claude/models/migration-guide`
/// (prefill on 4.6 and later); `build-with-claude/structured-outputs` (schema rules).
struct MessagesRules {
    /// The model the request names.
    let spec: ClaudeModelSpec

    /// The catalogue entry for `model`.
    /// - Throws: 404 `not_found_error` for a model the API does not serve.
    static func model(_ model: String) throws -> MessagesRules {
        // The catalogue also knows Bedrock ids; the Claude API serves only its own.
        guard BedrockModelID(model) == nil, let spec = ClaudeCatalogue.model(model) else {
            throw APIErrorResponse(status: 404, type: "not_found_error", message: "model: \(model)")
        }
        return MessagesRules(spec: spec)
    }

    /// The thinking a request asks for (nil when it sends none), checked against the model.
    func thinking(_ request: [String: Any], effort: Effort?, maxTokens: Int) throws -> ThinkingType? {
        guard let value = request["thinking"] else { return nil }
        guard let object = value as? [String: Any], let name = object["type"] as? String,
            let type = ThinkingType(rawValue: name)
        else {
            throw APIErrorResponse.invalid(
                "thinking.type: Input tag does not match any of the expected tags: 'adaptive', 'enabled', "
                    + "'disabled', 'between_tools'")
        }
        guard spec.thinking.accepted.contains(type) else {
            let hint =
                spec.thinking.accepted.contains(.betweenTools)
                ? "Use \"thinking.type.between_tools\" to turn off up-front thinking."
                : "Use \"thinking.type.adaptive\" and \"output_config.effort\" to control thinking behavior."
            throw APIErrorResponse.invalid("\"thinking.type.\(name)\" is not supported for this model. \(hint)")
        }
        if !type.thinksFirst, let limit = spec.thinking.offOnlyUpTo, let effort, effort > limit {
            throw APIErrorResponse.invalid(
                "thinking.type: \"\(name)\" cannot be combined with output_config.effort \"\(effort.rawValue)\" "
                    + "on this model; use effort \"\(limit.rawValue)\" or lower, or adaptive thinking")
        }
        if type == .enabled {
            guard let budget = object["budget_tokens"] as? Int, budget >= 1024 else {
                throw APIErrorResponse.invalid(
                    "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024")
            }
            guard budget < maxTokens else {
                throw APIErrorResponse.invalid("`max_tokens` must be greater than `thinking.budget_tokens`")
            }
        }
        return type
    }

    /// The effort a request asks for (`output_config.effort`), checked against the model.
    func effort(_ request: [String: Any]) throws -> Effort? {
        guard let config = request["output_config"] as? [String: Any], let value = config["effort"] else {
            return nil
        }
        guard let name = value as? String, let effort = Effort(rawValue: name) else {
            throw APIErrorResponse.invalid(
                "output_config.effort: Input should be "
                    + Effort.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))
        }
        guard spec.effort.levels.contains(effort) else {
            throw APIErrorResponse.invalid(
                spec.effort.levels.isEmpty
                    ? "output_config.effort: This model does not support the effort parameter."
                    : "output_config.effort: \"\(name)\" is not supported for this model.")
        }
        return effort
    }

    /// The tool `tool_choice` forces (nil when none is forced), checked against `tools` and thinking.
    func forcedTool(_ request: [String: Any], thinks: Bool) throws -> String? {
        guard let choice = request["tool_choice"] as? [String: Any], let type = choice["type"] as? String,
            type == "tool" || type == "any"
        else { return nil }
        guard spec.forcedToolUse else {
            throw APIErrorResponse.invalid("tool_choice: type \"tool\" and \"any\" are not supported for this model.")
        }
        guard !thinks else {
            throw APIErrorResponse.invalid("Thinking may not be enabled when tool_choice forces tool use.")
        }
        let tools = (request["tools"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        if type == "any" {
            guard let first = tools.first else { throw APIErrorResponse.invalid("tool_choice: tools is empty") }
            return first
        }
        guard let name = choice["name"] as? String, tools.contains(name) else {
            throw APIErrorResponse.invalid("tool_choice.name: the tool must be one of tools")
        }
        return name
    }

    /// Refuses what API version 2026-10-21 removed and what the model no longer takes.
    func general(_ request: [String: Any], version: String, messages: [[String: Any]]) throws {
        if version >= "2026-10-21" {
            for name in ["temperature", "top_p", "top_k"] where request[name] != nil {
                throw APIErrorResponse.invalid("\(name): Extra inputs are not permitted")
            }
        }
        if spec.rejectsPrefill, messages.last?["role"] as? String == "assistant" {
            throw APIErrorResponse.invalid(
                "This model does not support assistant message prefill. The conversation must end with a user message.")
        }
    }

    /// The structured-output schema (`output_config.format`), checked; nil when there is none.
    func outputSchema(_ request: [String: Any]) throws -> [String: Any]? {
        guard let config = request["output_config"] as? [String: Any], let format = config["format"] else {
            return nil
        }
        guard spec.structuredOutputs else {
            throw APIErrorResponse.invalid("output_config.format: structured outputs are not supported for this model.")
        }
        guard let object = format as? [String: Any], object["type"] as? String == "json_schema",
            let schema = object["schema"] as? [String: Any]
        else {
            throw APIErrorResponse.invalid("output_config.format: Input should be a json_schema format with a schema")
        }
        try StructuredOutputSchema.check(schema, path: "output_config.format.schema")
        return schema
    }
}
