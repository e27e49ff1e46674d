import Foundation
import Imaging
import PipelineCore

/// `POST /v1/messages` as the Messages API answers it, with the offline pixel model as its brain:
/// the real request checks (headers, fields, image media type, base64, 5 MB and 8000 px limits),
/// the real response shape, image tokens of about width × height / 750.
public struct MessagesStandIn: Sendable {
    /// The model that looks at the image.
    public let model: PixelAnalysisModel
    /// The largest decoded image, as the API allows.
    public static let maxImageBytes = 5 * 1024 * 1024
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
        guard headers["anthropic-version"]?.isEmpty == false else {
            throw APIErrorResponse.invalid("anthropic-version: header is required")
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
        guard modelName.hasPrefix("claude-") else {
            throw APIErrorResponse(status: 404, type: "not_found_error", message: "model: \(modelName)")
        }
        guard let maxTokens = request["max_tokens"] as? Int, maxTokens >= 1 else {
            throw APIErrorResponse.invalid("max_tokens: Field required (an integer of at least 1)")
        }
        guard let messages = request["messages"] as? [[String: Any]], !messages.isEmpty else {
            throw APIErrorResponse.invalid("messages: at least one message is required")
        }
        let tool = try forcedTool(request)
        var images: [(data: Data, width: Int, height: Int)] = []
        var textCharacters = 0
        for (index, message) in messages.enumerated() {
            guard ["user", "assistant"].contains(message["role"] as? String ?? "") else {
                throw APIErrorResponse.invalid("messages.\(index).role: must be user or assistant")
            }
            if let text = message["content"] as? String {
                textCharacters += text.count
                continue
            }
            guard let blocks = message["content"] as? [[String: Any]] else {
                throw APIErrorResponse.invalid("messages.\(index).content: must be a string or a list of blocks")
            }
            for (blockIndex, block) in blocks.enumerated() {
                let path = "messages.\(index).content.\(blockIndex)"
                switch block["type"] as? String {
                case "text": textCharacters += (block["text"] as? String)?.count ?? 0
                case "image": images.append(try image(block, path: path))
                default: throw APIErrorResponse.invalid("\(path).type: unsupported block type")
                }
            }
        }
        guard let first = images.first else {
            throw APIErrorResponse.invalid("the stand-in needs an image block to describe")
        }
        let output = try await model.analyze(
            AnalysisInput(
                data: first.data, mediaType: "image/jpeg", originalWidth: first.width, originalHeight: first.height))
        let imageTokens = images.reduce(0) { $0 + max(1, $1.width * $1.height / 750) }
        let inputJSON = try PipelineJSON.encoder.encode(output.analysis)
        let input = try JSONSerialization.jsonObject(with: inputJSON)
        let outputTokens = max(1, inputJSON.count / 4)
        let stopped = outputTokens > maxTokens
        var content: [[String: Any]] = []
        if let tool {
            content.append([
                "type": "tool_use", "id": StandInIDs.make("toolu_"), "name": tool, "input": stopped ? [:] : input,
            ])
        } else {
            content.append(["type": "text", "text": output.analysis.description])
        }
        let response: [String: Any] = [
            "id": StandInIDs.make("msg_"), "type": "message", "role": "assistant", "model": modelName,
            "content": content, "stop_reason": stopped ? "max_tokens" : (tool == nil ? "end_turn" : "tool_use"),
            "stop_sequence": NSNull(),
            "usage": [
                "input_tokens": imageTokens + textCharacters / 4 + 10, "output_tokens": min(outputTokens, maxTokens),
                "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
            ],
        ]
        return try JSONSerialization.data(withJSONObject: response, options: [.sortedKeys])
    }

    /// The tool `tool_choice` forces, checked against `tools`.
    private func forcedTool(_ request: [String: Any]) throws -> String? {
        guard let choice = request["tool_choice"] as? [String: Any], choice["type"] as? String == "tool" else {
            return nil
        }
        guard let name = choice["name"] as? String,
            (request["tools"] as? [[String: Any]] ?? []).contains(where: { $0["name"] as? String == name })
        else {
            throw APIErrorResponse.invalid("tool_choice.name: the tool must be one of tools")
        }
        return name
    }

    private func image(_ block: [String: Any], path: String) throws -> (data: Data, width: Int, height: Int) {
        guard let source = block["source"] as? [String: Any], source["type"] as? String == "base64" else {
            throw APIErrorResponse.invalid("\(path).source.type: the stand-in accepts base64 images")
        }
        let mediaType = source["media_type"] as? String ?? ""
        guard ClaudeAnalysisModel.mediaTypes.contains(mediaType) else {
            throw APIErrorResponse.invalid(
                "\(path).source.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'")
        }
        guard let text = source["data"] as? String, let data = Data(base64Encoded: text), !data.isEmpty else {
            throw APIErrorResponse.invalid("\(path).source.data: invalid base64 data")
        }
        guard data.count <= Self.maxImageBytes else {
            throw APIErrorResponse.invalid(
                "\(path).source.base64: image exceeds 5 MB maximum: \(data.count) bytes > 5242880 bytes")
        }
        let size: (width: Int, height: Int)
        do {
            size = try VipsImageProbe.size(of: data)
        } catch {
            throw APIErrorResponse.invalid("\(path).source: could not process image")
        }
        guard size.width <= Self.maxImageEdge, size.height <= Self.maxImageEdge else {
            throw APIErrorResponse.invalid(
                "\(path).source: image dimensions exceed max allowed size: \(Self.maxImageEdge) pixels")
        }
        guard Self.sniff(data) == mediaType else {
            throw APIErrorResponse.invalid(
                "\(path).source: Image does not match the provided media type \(mediaType)")
        }
        return (data, size.width, size.height)
    }

    /// The media type the bytes say.
    static func sniff(_ data: Data) -> String? {
        let bytes = [UInt8](data.prefix(12))
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if bytes.starts(with: Array("GIF8".utf8)) { return "image/gif" }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return "image/webp"
        }
        return nil
    }
}
