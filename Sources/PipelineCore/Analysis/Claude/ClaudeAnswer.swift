import Foundation

/// Reads a successful Messages API answer: blocks by type (an answer may open with `thinking` or
/// `redacted_thinking` blocks), the JSON from the text block (structured outputs) or our tool
/// call's input, validated against ``Analysis``, and the usage, thinking tokens included.
enum ClaudeAnswer {
    /// The analysis in an answer.
    /// - Throws: ``ClaudeError`` with `refused`, `truncated` or `schemaMismatch`.
    static func output(from body: Data, requestID: String?) throws -> AnalysisOutput {
        let mismatch = { (message: String) in ClaudeError(.schemaMismatch, message, status: 200, requestID: requestID) }
        guard let message = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            message["type"] as? String == "message"
        else { throw mismatch("the answer is not a message object") }
        let tokens = usage(message["usage"] as? [String: Any] ?? [:])
        switch message["stop_reason"] as? String {
        case "refusal":
            throw ClaudeError(.refused, "the model declined to describe the image", status: 200, requestID: requestID)
        case "max_tokens", "model_context_window_exceeded":
            throw ClaudeError(
                .truncated,
                "the answer was cut off at max_tokens (\(tokens.outputTokens) output tokens, "
                    + "\(tokens.thinkingTokens) of them thinking)",
                status: 200, requestID: requestID)
        default:
            break
        }
        let blocks = message["content"] as? [[String: Any]] ?? []
        let raw: Data
        if let call = blocks.first(where: {
            $0["type"] as? String == "tool_use" && $0["name"] as? String == AnalysisTool.name
        }) {
            guard let input = call["input"] as? [String: Any] else { throw mismatch("the tool call has no input") }
            raw = try JSONSerialization.data(withJSONObject: input, options: [.sortedKeys])
        } else {
            let text = blocks.filter { $0["type"] as? String == "text" }.compactMap { $0["text"] as? String }.joined()
            guard !text.isEmpty else {
                throw mismatch("the answer has neither a text block nor a \(AnalysisTool.name) tool call")
            }
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                throw mismatch("the text block is not a JSON object")
            }
            raw = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        }
        let analysis: Analysis
        do {
            analysis = try EventDecoding.decode(Analysis.self, from: raw, what: "structured output")
        } catch {
            throw mismatch("the output does not match the analysis schema: \(error)")
        }
        guard !analysis.summary.isEmpty, !analysis.tags.isEmpty else {
            throw mismatch("the output has an empty summary or no tags")
        }
        return AnalysisOutput(
            analysis: analysis, rawJSON: String(decoding: raw, as: UTF8.self), usage: tokens, requestID: requestID)
    }

    /// The `usage` object: `output_tokens` includes thinking, which
    /// `output_tokens_details.thinking_tokens` breaks out.
    static func usage(_ usage: [String: Any]) -> TokenUsage {
        let details = usage["output_tokens_details"] as? [String: Any] ?? [:]
        return TokenUsage(
            inputTokens: usage["input_tokens"] as? Int ?? 0, outputTokens: usage["output_tokens"] as? Int ?? 0,
            thinkingTokens: details["thinking_tokens"] as? Int ?? 0,
            cacheWriteTokens: usage["cache_creation_input_tokens"] as? Int ?? 0,
            cacheReadTokens: usage["cache_read_input_tokens"] as? Int ?? 0)
    }

    /// `error.type: error.message` from an error body, or the body's start.
    static func errorMessage(_ body: Data) -> (type: String?, message: String) {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let error = object["error"] as? [String: Any]
        {
            let type = error["type"] as? String
            return (type, "\(type ?? "error"): \(error["message"] as? String ?? "")")
        }
        return (nil, String(decoding: body.prefix(300), as: UTF8.self))
    }
}
