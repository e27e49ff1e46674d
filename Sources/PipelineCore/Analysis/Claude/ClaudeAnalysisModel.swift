import Foundation
import Logging

/// The ``AnalysisModel`` on the Claude Messages API: the rendition as a base64 image block, the
/// prompt, and a forced call of ``AnalysisTool`` whose input is validated against ``Analysis``.
public struct ClaudeAnalysisModel: AnalysisModel {
    /// Where and how to call.
    public let configuration: ClaudeConfiguration
    public var modelID: String { configuration.model }
    public var promptVersion: String { AnalysisTool.promptVersion }
    private let logger = Logger(label: "claude")

    /// Creates a model client.
    public init(configuration: ClaudeConfiguration) {
        self.configuration = configuration
    }

    /// The media types the Messages API accepts for images.
    public static let mediaTypes: Set<String> = ["image/jpeg", "image/png", "image/gif", "image/webp"]

    public func analyze(_ image: AnalysisInput) async throws -> AnalysisOutput {
        guard Self.mediaTypes.contains(image.mediaType) else {
            throw ClaudeError(.apiError, "media type \(image.mediaType) is not one the Messages API accepts")
        }
        let http = RetryingHTTP(policy: configuration.retry, timeout: configuration.timeout)
        let answer: HTTPAnswer
        do {
            answer = try await http.post(
                url: configuration.baseURL + "/v1/messages",
                headers: [
                    ("x-api-key", configuration.apiKey), ("anthropic-version", configuration.apiVersion),
                    ("content-type", "application/json"),
                ],
                body: try requestBody(image), logger: logger)
        } catch let error as RetryingHTTP.TransportError {
            throw ClaudeError(.unreachable, error.message)
        }
        let requestID = answer.headers.first(name: "request-id")
        guard answer.status == 200 else {
            throw ClaudeError(
                .apiError, Self.errorMessage(answer.body), status: answer.status, requestID: requestID)
        }
        return try Self.output(from: answer.body, requestID: requestID)
    }

    /// The request JSON.
    func requestBody(_ image: AnalysisInput) throws -> Data {
        let body: [String: Any] = [
            "model": configuration.model,
            "max_tokens": configuration.maxTokens,
            "tools": [AnalysisTool.definition],
            "tool_choice": ["type": "tool", "name": AnalysisTool.name],
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
        return try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }

    /// Reads a successful answer: the forced tool call's input, validated.
    static func output(from body: Data, requestID: String?) throws -> AnalysisOutput {
        let mismatch = { (message: String) in ClaudeError(.schemaMismatch, message, status: 200, requestID: requestID) }
        guard let message = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            message["type"] as? String == "message"
        else { throw mismatch("the answer is not a message object") }
        let usage = message["usage"] as? [String: Any] ?? [:]
        let tokens = TokenUsage(
            inputTokens: usage["input_tokens"] as? Int ?? 0, outputTokens: usage["output_tokens"] as? Int ?? 0)
        switch message["stop_reason"] as? String {
        case "refusal":
            throw ClaudeError(.refused, "the model declined to describe the image", status: 200, requestID: requestID)
        case "max_tokens":
            throw ClaudeError(
                .truncated, "the tool call was cut off at max_tokens (\(tokens.outputTokens) output tokens)",
                status: 200, requestID: requestID)
        default:
            break
        }
        let blocks = message["content"] as? [[String: Any]] ?? []
        guard
            let call = blocks.first(where: {
                $0["type"] as? String == "tool_use" && $0["name"] as? String == AnalysisTool.name
            }),
            let input = call["input"] as? [String: Any]
        else { throw mismatch("the answer has no \(AnalysisTool.name) tool call") }
        let raw = try JSONSerialization.data(withJSONObject: input, options: [.sortedKeys])
        let analysis: Analysis
        do {
            analysis = try EventDecoding.decode(Analysis.self, from: raw, what: "tool input")
        } catch {
            throw mismatch("the tool input does not match the analysis schema: \(error)")
        }
        guard !analysis.summary.isEmpty, !analysis.tags.isEmpty else {
            throw mismatch("the tool input has an empty summary or no tags")
        }
        return AnalysisOutput(
            analysis: analysis, rawJSON: String(decoding: raw, as: UTF8.self), usage: tokens, requestID: requestID)
    }

    /// `error.type: error.message` from an error body, or the body's start.
    static func errorMessage(_ body: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let error = object["error"] as? [String: Any]
        {
            return "\(error["type"] as? String ?? "error"): \(error["message"] as? String ?? "")"
        }
        return String(decoding: body.prefix(300), as: UTF8.self)
    }
}
