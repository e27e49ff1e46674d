import Foundation
import PipelineCore

/// The answer the Messages API gives, in its shape: a `thinking` block first when the model
/// thinks (its text omitted, as the 4.7-and-later default `display` is; a signature always), then
/// the analysis as JSON in a `text` block (structured outputs), as our tool's call (forced tool),
/// or as prose; usage counted as the model counts (``TokenRules``), thinking included in
/// `output_tokens` and broken out in `output_tokens_details.thinking_tokens`.
struct MessagesReply {
    /// The model answering.
    let spec: ClaudeModelSpec
    /// The request's `max_tokens`: thinking and answer together.
    let maxTokens: Int
    /// The effort the model thinks at, when it thinks.
    let thinking: Effort?
    /// `thinking.budget_tokens`, for manual extended thinking.
    let budget: Int?

    /// Thinking tokens at each effort: the stand-in's own figures (the API documents no formula),
    /// rising with effort as the docs describe it.
    static let thinkingTokens: [Effort: Int] = [.low: 120, .medium: 400, .high: 1200, .xhigh: 2400, .max: 4800]
    /// Tokens of framing the API adds to every request (roles, block separators).
    static let framingTokens = 10

    /// The response JSON.
    func answer(
        _ analysis: Analysis, content: MessageContent, structured: Bool, tool: String?, definitionCharacters: Int
    ) throws -> Data {
        let json = try PipelineJSON.encoder.encode(analysis)
        let answerTokens = max(1, spec.tokens.textTokens(characters: json.count))
        var thought = thinking.map { Self.thinkingTokens[$0] ?? 0 } ?? 0
        if let budget, thinking != nil { thought = min(thought, budget) }
        let cutOff = thought + answerTokens > maxTokens
        var blocks: [[String: Any]] = []
        if thinking != nil {
            blocks.append(["type": "thinking", "thinking": "", "signature": Self.signature()])
        }
        if !cutOff {
            if let tool {
                blocks.append([
                    "type": "tool_use", "id": StandInIDs.make("toolu_"), "name": tool,
                    "input": try JSONSerialization.jsonObject(with: json),
                ])
            } else {
                blocks.append([
                    "type": "text", "text": structured ? String(decoding: json, as: UTF8.self) : analysis.description,
                ])
            }
        }
        let imageTokens = content.images.reduce(0) { $0 + spec.tokens.imageTokens(width: $1.width, height: $1.height) }
        // The prompt's text and the schema or tool definitions count as text tokens.
        let textTokens = spec.tokens.textTokens(characters: content.textCharacters + definitionCharacters)
        let output = min(thought + answerTokens, maxTokens)
        let response: [String: Any] = [
            "id": StandInIDs.make("msg_"), "type": "message", "role": "assistant", "model": spec.id,
            "content": blocks,
            "stop_reason": cutOff ? "max_tokens" : (tool == nil ? "end_turn" : "tool_use"),
            "stop_sequence": NSNull(),
            "usage": [
                "input_tokens": imageTokens + textTokens + Self.framingTokens, "output_tokens": output,
                "output_tokens_details": ["thinking_tokens": min(thought, output)],
                "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                "cache_creation": ["ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0],
                "service_tier": "standard",
            ],
        ]
        return try JSONSerialization.data(withJSONObject: response, options: [.sortedKeys])
    }

    /// An opaque signature, as thinking blocks carry.
    static func signature() -> String {
        Data((0..<48).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    }
}
