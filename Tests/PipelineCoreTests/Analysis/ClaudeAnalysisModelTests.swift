import Foundation
import PipelineCore
import TestSupport
import Testing

/// The Messages API client against a scripted server.
@Suite struct ClaudeAnalysisModelTests {
    private let image = AnalysisInput(
        data: Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9]), mediaType: "image/jpeg", originalWidth: 4000,
        originalHeight: 3000)

    private func model(_ address: String, _ id: String = ClaudeConfiguration.defaultModel) -> ClaudeAnalysisModel {
        var configuration = ClaudeConfiguration(apiKey: "sk-test", model: ClaudeCatalogue.model(id)!)
        configuration.baseURL = "http://\(address)"
        configuration.retry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(50))
        return ClaudeAnalysisModel(configuration: configuration)
    }

    private func message(stopReason: String = "tool_use", input: String? = nil) throws -> String {
        var text = String(
            decoding: try TestEnvironment.data("fixtures/api/anthropic/tool-use-message.json"), as: UTF8.self)
        text = text.replacingOccurrences(of: #""stop_reason": "tool_use""#, with: #""stop_reason": "\#(stopReason)""#)
        if let input { text = text.replacingOccurrences(of: #""category": "nature""#, with: input) }
        return text
    }

    @Test func sendsStructuredOutputsAndReadsTheJSONAfterAThinkingBlock() async throws {
        let fixture = try TestEnvironment.data("fixtures/api/anthropic/structured-output-message.json")
        let seen = Recorder<TestHTTPRequest>()
        try await TestHTTPServer.with({ request, _ in
            seen.append(request)
            return .json(200, String(decoding: fixture, as: UTF8.self), headers: ["request-id": "req_123"])
        }) { address in
            let output = try await model(address, "claude-opus-5-5").analyze(image)
            #expect(output.analysis.category == .nature)
            #expect(output.analysis.tags == ["tulips", "flowers", "field", "spring", "red"])
            #expect(output.usage == TokenUsage(inputTokens: 2093, outputTokens: 301, thinkingTokens: 164))
            #expect(output.requestID == "req_123")
            #expect(output.rawJSON.contains(#""detected_text":"""#))
        }
        let request = try #require(seen.all.first)
        #expect(request.path == "/v1/messages")
        #expect(request.headers["x-api-key"] == "sk-test")
        #expect(request.headers["anthropic-version"] == "2026-10-21")
        let body = try JSONSerialization.jsonObject(with: request.body) as! [String: Any]
        #expect(body["model"] as? String == "claude-opus-5-5")
        #expect(body["max_tokens"] as? Int == 4096, "room for thinking, which Opus 5.5 cannot turn off")
        #expect(body["tool_choice"] == nil && body["tools"] == nil && body["thinking"] == nil)
        let outputConfig = try #require(body["output_config"] as? [String: Any])
        #expect(outputConfig["effort"] as? String == "low")
        let format = try #require(outputConfig["format"] as? [String: Any])
        #expect(format["type"] as? String == "json_schema")
        let schema = try #require(format["schema"] as? [String: Any])
        #expect((schema["required"] as? [String])?.contains("category") == true)
        #expect(schema["additionalProperties"] as? Bool == false)
        let content = ((body["messages"] as! [[String: Any]])[0]["content"]) as! [[String: Any]]
        let source = content[0]["source"] as! [String: String]
        #expect(source == ["type": "base64", "media_type": "image/jpeg", "data": image.data.base64EncodedString()])
        #expect((content[1]["text"] as? String)?.contains("4000×3000") == true)
    }

    @Test func stillReadsAForcedToolCall() async throws {
        let fixture = try message()
        try await TestHTTPServer.with({ _, _ in .json(200, fixture) }) { address in
            let output = try await model(address, "claude-haiku-4-5").analyze(image)
            #expect(output.analysis.category == .nature)
            #expect(output.usage == TokenUsage(inputTokens: 1664, outputTokens: 121))
        }
    }

    @Test func overloadedAndRateLimitedAnswersAreRetriedHonouringRetryAfter() async throws {
        let fixture = try message()
        let overloaded = String(
            decoding: try TestEnvironment.data("fixtures/api/anthropic/overloaded-error.json"), as: UTF8.self)
        let calls = Recorder<ContinuousClock.Instant>()
        try await TestHTTPServer.with({ _, _ in
            switch calls.append(.now) {
            case 1: .json(529, overloaded)
            case 2:
                .json(
                    429, #"{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}"#,
                    headers: ["retry-after-ms": "300"])
            default: .json(200, fixture)
            }
        }) { address in
            _ = try await model(address).analyze(image)
        }
        let times = calls.all
        #expect(times.count == 3)
        #expect(times[2] - times[1] >= .milliseconds(300))
    }

    @Test func otherClientErrorsAreNotRetried() async throws {
        let calls = Recorder<Void>()
        try await TestHTTPServer.with({ _, _ in
            calls.append(())
            return .json(
                400, #"{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: too big"}}"#,
                headers: ["request-id": "req_400"])
        }) { address in
            let error = await #expect(throws: ClaudeError.self) { try await model(address).analyze(image) }
            #expect(error?.code == .apiError)
            #expect(error?.status == 400)
            #expect(error?.requestID == "req_400")
            #expect(error?.message == "invalid_request_error: max_tokens: too big")
            #expect(error?.errorType == "invalid_request_error")
        }
        #expect(calls.count == 1)
    }

    @Test(arguments: [
        (Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]), "image/jpeg", "end-of-image"),
        (Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 0xFF, 0xD9]), "image/png", "are not image/png"),
        (Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 0xFF, 0xD9]), "image/bmp", "media type image/bmp"),
        (Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data(count: 6 << 20) + Data([0xFF, 0xD9]), "image/jpeg", "at most"),
    ])
    func anImageTheAPIWouldRefuseIsRejectedBeforeAnyCall(data: Data, mediaType: String, reason: String) async {
        let input = AnalysisInput(data: data, mediaType: mediaType, originalWidth: 10, originalHeight: 10)
        // No server: a call would fail as unreachable, not as imageRejected.
        let error = await #expect(throws: ClaudeError.self) { try await model("127.0.0.1:9").analyze(input) }
        #expect(error?.code == .imageRejected)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
    }

    @Test(arguments: [
        ("max_tokens", nil, ClaudeError.Code.truncated),
        ("refusal", nil, ClaudeError.Code.refused),
        ("tool_use", #""category": "selfies""#, ClaudeError.Code.schemaMismatch),
        ("tool_use", #""category": 7"#, ClaudeError.Code.schemaMismatch),
    ])
    func unusableAnswersAreNamedErrors(stopReason: String, input: String?, code: ClaudeError.Code) async throws {
        let fixture = try message(stopReason: stopReason, input: input)
        try await TestHTTPServer.with({ _, _ in .json(200, fixture) }) { address in
            let error = await #expect(throws: ClaudeError.self) { try await model(address).analyze(image) }
            #expect(error?.code == code)
        }
    }

    @Test func aMissingKeyNamesTheVariables() {
        let error = #expect(throws: ConfigurationError.self) { try ClaudeConfiguration(environment: [:]) }
        #expect(error?.variable == "ANTHROPIC_API_KEY")
    }
}
