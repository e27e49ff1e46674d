import Foundation
import Logging

/// The ``EmbeddingModel`` on Voyage's `POST /v1/embeddings`: texts go in as few requests as the
/// list and token limits allow, `input_type` says document or query, `output_dimension` sets the
/// vector length, and the vectors come back in input order whatever order `data` lists them in.
public struct VoyageEmbeddingModel: EmbeddingModel {
    /// Where and how to call.
    public let configuration: VoyageConfiguration
    public var modelID: String { configuration.model }
    public var dimensions: Int { configuration.dimensions }
    public var maxBatchSize: Int { configuration.maxBatchTexts }
    private let logger = Logger(label: "voyage")

    /// Creates a model client.
    public init(configuration: VoyageConfiguration) {
        self.configuration = configuration
    }

    public func embed(_ texts: [String], as inputType: EmbeddingInputType) async throws -> EmbeddingBatch {
        var vectors: [[Float]] = []
        var tokens = 0
        for range in TextBatches.plan(
            texts, maxTexts: configuration.maxBatchTexts, maxTokens: configuration.maxBatchTokens)
        {
            let batch = try await request(Array(texts[range]), inputType: inputType)
            vectors += batch.vectors
            tokens += batch.totalTokens
        }
        return EmbeddingBatch(vectors: vectors, totalTokens: tokens)
    }

    /// One request; a batch the API answers 400 is split in two and each half sent again.
    ///
    /// Voyage documents a too-large batch and a batch over the token limit as 400s, among other
    /// invalid requests, with no code to tell them apart (docs.voyageai.com/docs/error-codes, read
    /// 2026-12-04), so the decision is the status's alone: halves are tried depth first, and a 400
    /// for a single text is final, so a request that is wrong whatever its size costs at most
    /// log2(texts) extra calls before its error is thrown.
    private func request(_ texts: [String], inputType: EmbeddingInputType) async throws -> EmbeddingBatch {
        let http = RetryingHTTP(policy: configuration.retry, timeout: configuration.timeout, service: "Voyage")
        let answer: HTTPAnswer
        do {
            answer = try await http.post(
                url: configuration.baseURL + "/v1/embeddings",
                headers: [("authorization", "Bearer \(configuration.apiKey)"), ("content-type", "application/json")],
                body: try requestBody(texts, inputType: inputType), maxResponseBytes: 64 << 20, logger: logger)
        } catch let error as RetryingHTTP.TransportError {
            throw VoyageError(.unreachable, error.message)
        }
        guard answer.status == 200 else {
            let detail = Self.errorDetail(answer.body)
            if answer.status == 400, texts.count > 1 {
                logger.warning(
                    "splitting a batch the API found too large",
                    metadata: ["texts": "\(texts.count)", "detail": "\(detail)"])
                let half = texts.count / 2
                let first = try await request(Array(texts[..<half]), inputType: inputType)
                let second = try await request(Array(texts[half...]), inputType: inputType)
                return EmbeddingBatch(
                    vectors: first.vectors + second.vectors, totalTokens: first.totalTokens + second.totalTokens)
            }
            throw VoyageError(
                .apiError, detail, status: answer.status, retryAfter: RetryingHTTP.retryAfter(answer.headers))
        }
        return try Self.batch(from: answer.body, count: texts.count, dimensions: configuration.dimensions)
    }

    /// The request JSON.
    func requestBody(_ texts: [String], inputType: EmbeddingInputType) throws -> Data {
        let body = Request(
            input: texts, model: configuration.model, inputType: inputType.rawValue,
            outputDimension: configuration.dimensions, truncation: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(body)
    }

    /// Reads a successful answer: one vector per text, put in input order by `index`.
    static func batch(from body: Data, count: Int, dimensions: Int) throws -> EmbeddingBatch {
        let response: Response
        do {
            response = try JSONDecoder().decode(Response.self, from: body)
        } catch {
            throw VoyageError(.malformedResponse, "the answer is not an embeddings list: \(error)", status: 200)
        }
        var vectors = [[Float]?](repeating: nil, count: count)
        for item in response.data {
            guard vectors.indices.contains(item.index), vectors[item.index] == nil else {
                throw VoyageError(
                    .malformedResponse, "data holds index \(item.index) twice or out of 0..<\(count)", status: 200)
            }
            guard item.embedding.count == dimensions else {
                throw VoyageError(
                    .malformedResponse,
                    "vector \(item.index) has \(item.embedding.count) dimensions, not \(dimensions)", status: 200)
            }
            vectors[item.index] = item.embedding
        }
        let complete = vectors.compactMap { $0 }
        guard complete.count == count else {
            throw VoyageError(
                .malformedResponse, "\(complete.count) vectors came back for \(count) texts", status: 200)
        }
        return EmbeddingBatch(vectors: complete, totalTokens: response.usage.totalTokens)
    }

    /// The `detail` of an error body, or the body's start.
    static func errorDetail(_ body: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            if let detail = object["detail"] as? String { return detail }
            if let detail = object["detail"] { return "\(detail)" }
        }
        return String(decoding: body.prefix(300), as: UTF8.self)
    }

    struct Request: Encodable {
        var input: [String]
        var model: String
        var inputType: String
        var outputDimension: Int
        var truncation: Bool

        enum CodingKeys: String, CodingKey {
            case input, model, truncation
            case inputType = "input_type"
            case outputDimension = "output_dimension"
        }
    }

    struct Response: Decodable {
        struct Item: Decodable {
            var embedding: [Float]
            var index: Int
        }
        struct Usage: Decodable {
            var totalTokens: Int
            enum CodingKeys: String, CodingKey { case totalTokens = "total_tokens" }
        }
        var data: [Item]
        var usage: Usage
    }
}
