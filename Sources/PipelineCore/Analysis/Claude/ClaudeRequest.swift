import Foundation

/// The Messages API request for one image, shaped by the model's catalogue entry.
///
/// - Structured outputs (`output_config.format`, a JSON schema) where the model has them, so no
///   tool is forced: Sonnet 5.5, Opus 5.5 and Fable 5.x reject `tool_choice` `tool`/`any`, and
///   every model rejects it while thinking. Otherwise our tool, forced when the model allows it
///   and does not think first.
/// - Thinking as low as the model allows at the configured effort: `disabled` (Haiku 5.5,
///   Sonnet 5, Opus 5), `between_tools` (Sonnet 5.5), nothing where thinking is off by default
///   (4.x) or cannot be turned off (Opus 5.5, Fable 5.x).
/// - `output_config.effort` only for models that take it; never `temperature`, `top_p`, `top_k`
///   (removed in API version 2026-10-21) or an assistant prefill (400 on 4.6 and later).
enum ClaudeRequest {
    /// The request JSON: on Bedrock without `model` (the path names it) and with its
    /// `anthropic_version`.
    static func body(_ image: AnalysisInput, configuration: ClaudeConfiguration) throws -> Data {
        let spec = configuration.model
        let effort = configuration.effectiveEffort
        let thinking = spec.leastThinking(at: effort)
        var body: [String: Any] = [
            "max_tokens": configuration.effectiveMaxTokens,
            "messages": [
                [
                    "role": "user",
                    "content": [
                        [
                            "type": "image",
                            "source": [
                                "type": "base64", "media_type": image.mediaType,
                                "data": image.data.base64EncodedString(),
                            ],
                        ],
                        [
                            "type": "text",
                            "text": AnalysisTool.prompt
                                + " The original is \(image.originalWidth)×\(image.originalHeight) pixels.",
                        ],
                    ],
                ]
            ],
        ]
        var outputConfig: [String: Any] = [:]
        if let effort { outputConfig["effort"] = effort.rawValue }
        if spec.structuredOutputs {
            outputConfig["format"] = ["type": "json_schema", "schema": AnalysisTool.inputSchema]
        } else {
            body["tools"] = [AnalysisTool.definition]
            let forced = spec.forcedToolUse && !spec.thinks(with: thinking)
            body["tool_choice"] = forced ? ["type": "tool", "name": AnalysisTool.name] : ["type": "auto"]
        }
        if let thinking { body["thinking"] = ["type": thinking.rawValue] }
        if !outputConfig.isEmpty { body["output_config"] = outputConfig }
        if configuration.bedrock != nil {
            body["anthropic_version"] = BedrockRoute.anthropicVersion
        } else {
            body["model"] = spec.id
        }
        return try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }
}
