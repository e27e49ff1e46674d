import Foundation
import PipelineCore

/// `POST /v1/embeddings` as Voyage answers it, with the hashing embedder as its brain.
public struct EmbeddingsStandIn: Sendable {
    /// The dimensions Voyage's `output_dimension` accepts.
    public static let dimensions: Set<Int> = [256, 512, 1024, 2048]
    /// Texts per request.
    public static let maxInputs = 1000

    /// The per-request token limit; nil for the documented limit of the requested model.
    public var maxBatchTokens: Int?

    /// Creates the stand-in.
    public init(maxBatchTokens: Int? = nil) {
        self.maxBatchTokens = maxBatchTokens
    }

    /// Answers one request.
    /// - Throws: ``APIErrorResponse`` for anything the real API refuses.
    public func respond(headers: [String: String], body: Data) async throws -> Data {
        guard let auth = headers["authorization"], auth.hasPrefix("Bearer "), auth.count > 7 else {
            throw APIErrorResponse(status: 401, type: "authentication_error", message: "Provide a valid API key.")
        }
        guard let request = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw APIErrorResponse.invalid("Request body is not valid JSON.")
        }
        let texts: [String]
        if let one = request["input"] as? String {
            texts = [one]
        } else if let many = request["input"] as? [String] {
            texts = many
        } else {
            throw APIErrorResponse.invalid("Field 'input' is required: a string or a list of strings.")
        }
        guard !texts.isEmpty, texts.count <= Self.maxInputs else {
            throw APIErrorResponse.invalid("The input list must hold 1 to \(Self.maxInputs) texts, not \(texts.count).")
        }
        guard let model = request["model"] as? String, !model.isEmpty else {
            throw APIErrorResponse.invalid("Field 'model' is required.")
        }
        guard model.hasPrefix("voyage-") else {
            throw APIErrorResponse.invalid("Model \(model) is not supported.")
        }
        var inputType = EmbeddingInputType.document
        if let value = request["input_type"], !(value is NSNull) {
            guard let text = value as? String, let type = EmbeddingInputType(rawValue: text) else {
                throw APIErrorResponse.invalid("input_type must be null, 'query' or 'document'.")
            }
            inputType = type
        }
        var dimensions = 1024
        if let value = request["output_dimension"], !(value is NSNull) {
            guard let number = value as? Int, Self.dimensions.contains(number) else {
                throw APIErrorResponse.invalid("output_dimension must be one of 256, 512, 1024, 2048.")
            }
            dimensions = number
        }
        let tokens = texts.reduce(0) { $0 + max(1, $1.split(whereSeparator: \.isWhitespace).count * 4 / 3) }
        let limit = maxBatchTokens ?? VoyageConfiguration.batchTokenLimit(model: model)
        guard tokens <= limit else {
            throw APIErrorResponse.invalid(
                "The max allowed tokens per submitted batch is \(limit). Your batch has \(tokens) tokens.")
        }
        let batch: EmbeddingBatch
        do {
            batch = try await HashingEmbedder(dimensions: dimensions).embed(texts, as: inputType)
        } catch let error as EmbeddingError {
            throw APIErrorResponse.invalid("\(error)")
        }
        let data: [[String: Any]] = batch.vectors.enumerated().map { index, vector in
            ["object": "embedding", "embedding": vector.map(Double.init), "index": index]
        }
        let response: [String: Any] = [
            "object": "list", "data": data, "model": model, "usage": ["total_tokens": tokens],
        ]
        return try JSONSerialization.data(withJSONObject: response)
    }
}
