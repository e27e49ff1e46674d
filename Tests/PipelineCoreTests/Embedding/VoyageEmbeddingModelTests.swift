import Foundation
import TestSupport
import Testing

@testable import PipelineCore

/// The Voyage embeddings client against documented payloads and a scripted server.
@Suite struct VoyageEmbeddingModelTests {
    private func model(_ address: String, dimensions: Int = 2, maxTexts: Int = 1000, maxTokens: Int = 320_000)
        -> VoyageEmbeddingModel
    {
        var configuration = VoyageConfiguration(apiKey: "pa-test")
        configuration.baseURL = "http://\(address)"
        configuration.dimensions = dimensions
        configuration.maxBatchTexts = maxTexts
        configuration.maxBatchTokens = maxTokens
        configuration.retry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(20))
        configuration.timeout = .seconds(5)
        return VoyageEmbeddingModel(configuration: configuration)
    }

    /// Answers each text "t<N>" with the vector [N, count], listing `data` in reverse order.
    private static func echo(_ request: TestHTTPRequest) throws -> TestHTTPResponse {
        let body = try JSONSerialization.jsonObject(with: request.body) as? [String: Any] ?? [:]
        let texts = body["input"] as? [String] ?? []
        let data: [[String: Any]] = texts.enumerated().reversed().map { index, text in
            ["object": "embedding", "embedding": [Double(text.dropFirst())!, Double(texts.count)], "index": index]
        }
        let answer: [String: Any] = [
            "object": "list", "data": data, "model": "voyage-4", "usage": ["total_tokens": texts.count * 2],
        ]
        return TestHTTPResponse(
            status: 200, headers: ["content-type": "application/json"],
            body: try JSONSerialization.data(withJSONObject: answer))
    }

    @Test func decodesTheDocumentedResponseInInputOrder() throws {
        let body = try TestEnvironment.data("fixtures/api/voyage/embeddings-response.json")
        let batch = try VoyageEmbeddingModel.batch(from: body, count: 2, dimensions: 3)
        #expect(batch.vectors == [[-0.0311, 0.0042, 0.0915], [0.0123, -0.0456, 0.0789]])
        #expect(batch.totalTokens == 10)
        #expect(throws: VoyageError.self) { try VoyageEmbeddingModel.batch(from: body, count: 3, dimensions: 3) }
        #expect(throws: VoyageError.self) { try VoyageEmbeddingModel.batch(from: body, count: 2, dimensions: 1024) }
        let detail = VoyageEmbeddingModel.errorDetail(
            try TestEnvironment.data("fixtures/api/voyage/invalid-request-error.json"))
        #expect(detail == "output_dimension must be one of 256, 512, 1024, 2048.")
    }

    @Test func sendsTheDocumentedRequest() async throws {
        let seen = Recorder<TestHTTPRequest>()
        try await TestHTTPServer.with({ request, _ in
            seen.append(request)
            return try Self.echo(request)
        }) { address in
            let batch = try await model(address).embed(["t1", "t2"], as: .query)
            #expect(batch.vectors == [[1, 2], [2, 2]])
            #expect(batch.totalTokens == 4)
        }
        let request = try #require(seen.all.first)
        #expect(request.method == "POST" && request.path == "/v1/embeddings")
        #expect(request.headers["authorization"] == "Bearer pa-test")
        #expect(request.headers["content-type"] == "application/json")
        let body = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        #expect(body["input"] as? [String] == ["t1", "t2"])
        #expect(body["model"] as? String == "voyage-4")
        #expect(body["input_type"] as? String == "query")
        #expect(body["output_dimension"] as? Int == 2)
        #expect(body["truncation"] as? Bool == true)
    }

    @Test func batchesWithinTheListAndTokenLimitsAndKeepsOrder() async throws {
        let sizes = Recorder<Int>()
        try await TestHTTPServer.with({ request, _ in
            let body = try JSONSerialization.jsonObject(with: request.body) as? [String: Any] ?? [:]
            sizes.append((body["input"] as? [String] ?? []).count)
            return try Self.echo(request)
        }) { address in
            let texts = (0..<2500).map { "t\($0)" }
            let byCount = try await model(address, maxTexts: 1000).embed(texts, as: .document)
            #expect(byCount.vectors.map { Int($0[0]) } == Array(0..<2500))
            #expect(byCount.totalTokens == 5000)
            #expect(sizes.all == [1000, 1000, 500])
            // "t10".."t19" are 3 bytes: 2 estimated tokens each, so 10 tokens hold 5 texts.
            let byTokens = try await model(address, maxTokens: 10).embed((10..<22).map { "t\($0)" }, as: .document)
            #expect(byTokens.vectors.map { Int($0[0]) } == Array(10..<22))
            #expect(sizes.all.dropFirst(3) == [5, 5, 2])
        }
    }

    @Test func splitsABatchTheAPIFindsTooLarge() async throws {
        let sizes = Recorder<Int>()
        try await TestHTTPServer.with({ request, _ in
            let body = try JSONSerialization.jsonObject(with: request.body) as? [String: Any] ?? [:]
            let count = (body["input"] as? [String] ?? []).count
            sizes.append(count)
            if count > 2 {
                return .json(
                    400, #"{"detail": "The max allowed tokens per submitted batch is 20. Your batch has 30 tokens."}"#)
            }
            return try Self.echo(request)
        }) { address in
            let batch = try await model(address).embed((1...5).map { "t\($0)" }, as: .document)
            #expect(batch.vectors.map { Int($0[0]) } == [1, 2, 3, 4, 5])
        }
        #expect(sizes.all == [5, 2, 3, 1, 2])
    }

    /// The split is decided by the status alone: a 400 whatever its wording is split, and a 400
    /// that every size gets costs one call per halving, then the single text's error is thrown.
    @Test func aRequestWrongAtEverySizeIsSplitDepthFirstThenThrown() async throws {
        let sizes = Recorder<Int>()
        try await TestHTTPServer.with({ request, _ in
            let body = try JSONSerialization.jsonObject(with: request.body) as? [String: Any] ?? [:]
            sizes.append((body["input"] as? [String] ?? []).count)
            return .json(400, #"{"detail": "output_dimension must be one of 256, 512, 1024, 2048."}"#)
        }) { address in
            let error = await #expect(throws: VoyageError.self) {
                try await model(address).embed((1...8).map { "t\($0)" }, as: .document)
            }
            #expect(error?.status == 400 && error?.failureKind == .rejected)
        }
        #expect(sizes.all == [8, 4, 2, 1])
    }

    @Test func retriesRateLimitsButNotOtherClientErrors() async throws {
        let calls = Recorder<Int>()
        try await TestHTTPServer.with({ request, _ in
            calls.append(1)
            if calls.count < 3 {
                return .json(429, #"{"detail": "rate limited"}"#, headers: ["retry-after-ms": "5"])
            }
            return try Self.echo(request)
        }) { address in
            let batch = try await model(address).embed(["t7"], as: .document)
            #expect(batch.vectors == [[7, 1]])
        }
        #expect(calls.count == 3)

        let refused = Recorder<Int>()
        try await TestHTTPServer.with({ _, _ in
            refused.append(1)
            return .json(401, #"{"detail": "Provided API key is invalid."}"#)
        }) { address in
            let error = await #expect(throws: VoyageError.self) { try await model(address).embed(["t1"], as: .query) }
            #expect(error?.code == .apiError && error?.status == 401)
            #expect(error?.message == "Provided API key is invalid.")
        }
        #expect(refused.count == 1)
    }

    @Test func givesUpInTimeForTheInvocationDeadline() async throws {
        let calls = Recorder<Int>()
        try await TestHTTPServer.with({ _, _ in
            calls.append(1)
            return .json(500, #"{"detail": "boom"}"#, headers: ["retry-after-ms": "1500"])
        }) { address in
            let started = ContinuousClock.now
            // 3.5 s left: one attempt, then a 1.5 s wait would leave under the 1 s reserve + 2 s minimum.
            await InvocationDeadline.$current.withValue(Date().addingTimeInterval(3.5)) {
                let error = await #expect(throws: VoyageError.self) {
                    try await model(address).embed(["t1"], as: .document)
                }
                #expect(error?.status == 500)
            }
            #expect(ContinuousClock.now - started < .seconds(2))
        }
        #expect(calls.count == 1)
        await InvocationDeadline.$current.withValue(Date().addingTimeInterval(0.5)) {
            let error = await #expect(throws: VoyageError.self) {
                try await model("127.0.0.1:9").embed(["t1"], as: .document)
            }
            #expect(error?.code == .unreachable)
            #expect(error?.message.contains("invocation deadline") == true)
        }
    }

    @Test func keysComeFromTheEnvironmentOrParameterStore() async throws {
        let parameters = InMemoryParameterStore(["/collections/voyage": "pa-from-ssm", "/collections/claude": "sk-ssm"])
        let voyage = try await EmbeddingModels.remote(
            environment: ["COLLECTIONS_VOYAGE_API_KEY_PARAMETER": "/collections/voyage"], parameters: parameters)
        #expect((voyage as? VoyageEmbeddingModel)?.configuration.apiKey == "pa-from-ssm")
        let fromEnvironment = try await EmbeddingModels.remote(
            environment: ["VOYAGE_API_KEY": "pa-env", "COLLECTIONS_VOYAGE_API_KEY_PARAMETER": "/collections/voyage"],
            parameters: parameters)
        #expect((fromEnvironment as? VoyageEmbeddingModel)?.configuration.apiKey == "pa-env")
        let claude = try await AnalysisModels.remote(
            environment: ["COLLECTIONS_ANTHROPIC_API_KEY_PARAMETER": "/collections/claude"], parameters: parameters)
        #expect((claude as? ClaudeAnalysisModel)?.configuration.apiKey == "sk-ssm")
        await #expect(throws: ConfigurationError.self) {
            try await EmbeddingModels.remote(
                environment: ["COLLECTIONS_VOYAGE_API_KEY_PARAMETER": "/missing"], parameters: parameters)
        }
    }

    @Test func readsItsConfiguration() throws {
        let configuration = try VoyageConfiguration(
            environment: [
                "VOYAGE_API_KEY": "pa-x", "VOYAGE_BASE_URL": "http://127.0.0.1:8787/v1/",
                "COLLECTIONS_VOYAGE_MODEL": "voyage-4-lite", "COLLECTIONS_EMBEDDING_DIMENSIONS": "512",
            ])
        #expect(configuration.baseURL == "http://127.0.0.1:8787")
        #expect(configuration.model == "voyage-4-lite" && configuration.dimensions == 512)
        #expect(configuration.maxBatchTokens == 1_000_000)
        #expect(VoyageConfiguration.batchTokenLimit(model: "voyage-4-large") == 120_000)
        #expect(throws: ConfigurationError.self) { try VoyageConfiguration(environment: [:]) }
        #expect(throws: ConfigurationError.self) {
            try VoyageConfiguration(environment: ["VOYAGE_API_KEY": "k", "COLLECTIONS_EMBEDDING_DIMENSIONS": "300"])
        }
    }
}
