import Foundation
import PipelineCore
import TestSupport
import Testing

/// The Messages API client against a scripted server.
@Suite struct ClaudeAnalysisModelTests {
    private let image = AnalysisInput(
        data: Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]), mediaType: "image/jpeg", originalWidth: 4000,
        originalHeight: 3000)

    private func model(_ address: String) -> ClaudeAnalysisModel {
        var configuration = ClaudeConfiguration(apiKey: "sk-test")
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

    @Test func sendsTheDocumentedRequestAndReadsTheToolCall() async throws {
        let fixture = try message()
        let seen = Recorder<TestHTTPRequest>()
        try await TestHTTPServer.with({ request, _ in
            seen.append(request)
            return .json(200, fixture, headers: ["request-id": "req_123"])
        }) { address in
            let output = try await model(address).analyze(image)
            #expect(output.analysis.category == .nature)
            #expect(output.analysis.tags == ["tulips", "flowers", "field", "spring", "red"])
            #expect(output.usage == TokenUsage(inputTokens: 1664, outputTokens: 121))
            #expect(output.requestID == "req_123")
            #expect(output.rawJSON.contains(#""detected_text":"""#))
        }
        let request = try #require(seen.all.first)
        #expect(request.path == "/v1/messages")
        #expect(request.headers["x-api-key"] == "sk-test")
        #expect(request.headers["anthropic-version"] == "2026-10-21")
        let body = try JSONSerialization.jsonObject(with: request.body) as! [String: Any]
        #expect(body["model"] as? String == ClaudeConfiguration.defaultModel)
        #expect(body["max_tokens"] as? Int == 1024)
        #expect((body["tool_choice"] as? [String: String]) == ["type": "tool", "name": "record_image_analysis"])
        let content = ((body["messages"] as! [[String: Any]])[0]["content"]) as! [[String: Any]]
        let source = content[0]["source"] as! [String: String]
        #expect(source == ["type": "base64", "media_type": "image/jpeg", "data": image.data.base64EncodedString()])
        #expect((content[1]["text"] as? String)?.contains("4000×3000") == true)
        let schema = ((body["tools"] as! [[String: Any]])[0]["input_schema"]) as! [String: Any]
        #expect((schema["required"] as? [String])?.contains("category") == true)
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
        }
        #expect(calls.count == 1)
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
