import Foundation
import Logging
import StandIns
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The stand-ins' rate limits over HTTP and in each route's shape, on a clock the test moves.
@Suite struct StandInRateLimitTests {
    private let claudeHeaders = [
        "x-api-key": "sk-local", "anthropic-version": "2023-06-01", "content-type": "application/json",
    ]
    private let logger = Logger(label: "test")

    private func messagesBody() throws -> Data {
        let image = try TestEnvironment.data("fixtures/images/red.jpg").base64EncodedString()
        let body: [String: Any] = [
            "model": "claude-haiku-4-5", "max_tokens": 1024,
            "messages": [
                [
                    "role": "user",
                    "content": [
                        ["type": "image", "source": ["type": "base64", "media_type": "image/jpeg", "data": image]],
                        ["type": "text", "text": "describe"],
                    ],
                ]
            ],
        ]
        return try JSONSerialization.data(withJSONObject: body)
    }

    private func post(_ url: String, body: Data) async throws -> (Int, HTTPURLResponse, [String: Any]) {
        var request = URLRequest(url: URL(string: url + "/v1/messages")!)
        request.httpMethod = "POST"
        request.httpBody = body
        for (name, value) in claudeHeaders { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, http, try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:])
    }

    @Test func theRequestOverTheLimitGets429WithTheDocumentedHeadersAndBody() async throws {
        let clock = ManualClock()
        let limits = try RateLimits(parsing: "claude=2/min:itpm=1000000:otpm=100000")
        let body = try messagesBody()
        try await withStandIns(rateLimits: limits, clock: clock.rateLimitClock) { url in
            let rfc3339 = ISO8601DateFormatter()
            for (index, remaining) in ["1", "0"].enumerated() {
                let (status, response, _) = try await post(url, body: body)
                #expect(status == 200)
                #expect(response.value(forHTTPHeaderField: "anthropic-ratelimit-requests-limit") == "2")
                #expect(response.value(forHTTPHeaderField: "anthropic-ratelimit-requests-remaining") == remaining)
                let reset = response.value(forHTTPHeaderField: "anthropic-ratelimit-requests-reset") ?? ""
                #expect(rfc3339.date(from: reset) == clock.start.addingTimeInterval(Double(30 * (index + 1))))
                #expect(response.value(forHTTPHeaderField: "anthropic-ratelimit-input-tokens-limit") == "1000000")
                #expect(response.value(forHTTPHeaderField: "anthropic-ratelimit-output-tokens-limit") == "100000")
                #expect(response.value(forHTTPHeaderField: "anthropic-ratelimit-tokens-limit") == "1100000")
                #expect(response.value(forHTTPHeaderField: "retry-after") == nil)
            }
            let (status, response, json) = try await post(url, body: body)
            #expect(status == 429)
            #expect(response.value(forHTTPHeaderField: "retry-after") == "30")
            #expect(response.value(forHTTPHeaderField: "anthropic-ratelimit-requests-remaining") == "0")
            let error = json["error"] as? [String: Any]
            #expect(json["type"] as? String == "error" && error?["type"] as? String == "rate_limit_error")
            #expect((error?["message"] as? String)?.contains("rate limit of 2 requests per minute") == true)
            #expect(json["request_id"] as? String == response.value(forHTTPHeaderField: "request-id"))
            clock.advance(by: .seconds(30))
            #expect(try await post(url, body: body).0 == 200)
            let stats = try await StandInStatistics.fetch(url)
            #expect(stats["throttled"] as? [String: Int] == ["/v1/messages": 1])
            #expect((stats["requests"] as? [String: Int])?["/v1/messages"] == 4)
        }
    }

    @Test func theAnswersInputAndOutputTokensCountAgainstITPMAndOTPM() async throws {
        let body = try messagesBody()
        let free = try await StandInServer().respond(
            method: "POST", path: "/v1/messages", headers: claudeHeaders, body: body, requestID: "r", logger: logger)
        let usage = try #require(
            (try JSONSerialization.jsonObject(with: free.body) as? [String: Any])?["usage"] as? [String: Any])
        let input = try #require(usage["input_tokens"] as? Int)
        let output = try #require(usage["output_tokens"] as? Int)
        for (meter, used, words) in [("itpm", input, "input tokens"), ("otpm", output, "output tokens")] {
            // Room for one and a half answers: the second is refused until half an answer's tokens refill.
            let limit = used + used / 2
            let server = StandInServer(
                rateLimits: try RateLimits(parsing: "claude=100/min:\(meter)=\(limit)"),
                clock: ManualClock().rateLimitClock)
            var answers: [StandInServer.Answer] = []
            for _ in 0..<2 {
                answers.append(
                    try await server.respond(
                        method: "POST", path: "/v1/messages", headers: claudeHeaders, body: body, requestID: "r",
                        logger: logger))
            }
            #expect(answers.map(\.status) == [200, 429], "\(meter)")
            let shortMicros = (used - (limit - used)) * 60_000_000
            let wait = (shortMicros + limit - 1) / limit
            let retryAfter = answers[1].headers.first { $0.0 == "retry-after" }?.1
            #expect(retryAfter == "\(max(1, (wait + 999_999) / 1_000_000))", "\(meter)")
            #expect(String(decoding: answers[1].body, as: UTF8.self).contains("\(limit) \(words) per minute"))
        }
    }

    @Test func voyageAndBedrockAnswerInTheirOwnShapes() async throws {
        let voyage = StandInServer(
            rateLimits: try RateLimits(parsing: "voyage=1/min:tpm=1000000"), clock: ManualClock().rateLimitClock)
        let embed = Data(#"{"input":["red tulips"],"model":"voyage-4"}"#.utf8)
        var statuses: [Int] = []
        var last: StandInServer.Answer?
        for _ in 0..<2 {
            last = try await voyage.respond(
                method: "POST", path: "/v1/embeddings", headers: ["authorization": "Bearer pa-local"], body: embed,
                requestID: "r", logger: logger)
            statuses.append(last!.status)
        }
        #expect(statuses == [200, 429])
        let refused = try #require(last)
        #expect(refused.headers.map(\.0) == ["retry-after"] && refused.headers.first?.1 == "60")
        let detail = (try JSONSerialization.jsonObject(with: refused.body) as? [String: Any])?["detail"] as? String
        #expect(detail?.contains("1 request per minute") == true)

        // One Claude bucket for both Claude routes: the Messages request uses the only request there is.
        let claude = StandInServer(
            rateLimits: try RateLimits(parsing: "claude=1/min"), clock: ManualClock().rateLimitClock)
        let first = try await claude.respond(
            method: "POST", path: "/v1/messages", headers: claudeHeaders, body: try messagesBody(), requestID: "r",
            logger: logger)
        #expect(first.status == 200)
        let bedrock = try await claude.respond(
            method: "POST", path: "/model/us.anthropic.claude-haiku-5-5/invoke", headers: [:], body: Data("{}".utf8),
            requestID: "r", logger: logger)
        #expect(bedrock.status == 429)
        #expect(bedrock.headers.contains { $0.0 == "x-amzn-ErrorType" && $0.1.hasPrefix("ThrottlingException:") })
        let message = (try JSONSerialization.jsonObject(with: bedrock.body) as? [String: Any])?["message"] as? String
        #expect(message == "Too many requests, please wait before trying again.")
    }
}
