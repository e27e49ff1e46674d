import Foundation

/// How each route reports rate limits: the refusal it sends, the headers on every answer, and the
/// tokens an answer costs.
enum RateLimitAnswers {
    /// The service whose limits a route counts against: Bedrock shares Claude's.
    static func service(route: String) -> RateLimitedService? {
        switch route {
        case "/v1/messages", StandInServer.bedrockRoute: .claude
        case "/v1/embeddings": .voyage
        default: nil
        }
    }

    /// A refused request, in the route's shape.
    ///
    /// - Claude API: 429 with `retry-after` (whole seconds; "earlier retries will fail") and
    ///   `{"type":"error","error":{"type":"rate_limit_error","message"},"request_id"}`, the message
    ///   naming the limit exceeded. Anthropic, "Rate limits" and "Errors"
    ///   (https://platform.claude.com/docs/en/api/rate-limits, /docs/en/api/errors, read 2026-12-04).
    /// - Bedrock: 429 `ThrottlingException` in `x-amzn-ErrorType` with `{"message"}`, no
    ///   `retry-after` (none documented). AWS, "Troubleshooting Amazon Bedrock API error codes"
    ///   (https://docs.aws.amazon.com/bedrock/latest/userguide/troubleshooting-api-error-codes.html)
    ///   and re:Post "Bedrock throttling error" for the messages, read 2026-12-04.
    /// - Voyage: 429 "Rate Limit Exceeded" ("the frequency of your requests is too high") with
    ///   `{"detail"}`; Voyage documents no headers, the stand-in adds the standard `retry-after`.
    ///   Voyage, "Error Codes" (https://docs.voyageai.com/docs/error-codes, read 2026-12-04).
    static func refusal(
        route: String, decision: RateLimitDecision, requestID: String
    ) -> StandInServer.Answer {
        let wait = decision.retryAfterSeconds ?? 1
        let limit = decision.exceeded ?? "its rate limit"
        if route == StandInServer.bedrockRoute {
            let message =
                limit.hasSuffix("tokens per minute")
                ? "Too many tokens, please wait before trying again."
                : "Too many requests, please wait before trying again."
            let answer = BedrockStandIn.error(429, "ThrottlingException", message, requestID: requestID)
            return .init(status: 429, headers: answer.headers, body: answer.body)
        }
        if route == "/v1/embeddings" {
            let error = APIErrorResponse(
                status: 429, type: "rate_limit_error",
                message: "Rate limit exceeded: your requests exceed the limit of \(limit). Please pace your requests; "
                    + "see https://docs.voyageai.com/docs/rate-limits.")
            return .init(status: 429, headers: [("retry-after", "\(wait)")], body: error.voyageBody)
        }
        let error = APIErrorResponse(
            status: 429, type: "rate_limit_error",
            message: "This request would exceed your organization's rate limit of \(limit). For details, refer to: "
                + "https://platform.claude.com/docs/en/api/rate-limits. You can see the response headers for current "
                + "usage. Please try again after the time in the retry-after header.")
        return .init(
            status: 429, headers: [("retry-after", "\(wait)")] + headers(route: route, decision: decision),
            body: error.anthropicBody(requestID: requestID))
    }

    /// The rate-limit headers the Claude API sends on every response: for requests, input tokens and
    /// output tokens, `-limit`, `-remaining` and `-reset` (RFC 3339, when the bucket is full again),
    /// and `anthropic-ratelimit-tokens-*` for input and output together (limits and remainders
    /// added, the later reset). Token remainders are rounded to the nearest thousand, as documented.
    /// Anthropic, "Rate limits", Response headers (https://platform.claude.com/docs/en/api/rate-limits,
    /// read 2026-12-04); the combined `tokens` headers as AWS's "Rate limits and quotas - Claude Platform on
    /// AWS" describes them (https://docs.aws.amazon.com/claude-platform/latest/userguide/rate-limits.html).
    /// Bedrock and Voyage send none.
    static func headers(route: String, decision: RateLimitDecision) -> [(String, String)] {
        guard route == "/v1/messages" else { return [] }
        var headers = fields("requests", decision.requests, rounded: false)
        let meters: [(TokenMeter, String)] = [(.inputTokens, "input-tokens"), (.outputTokens, "output-tokens")]
        let readings = meters.compactMap { meter, name in decision.tokens[meter].map { (name, $0) } }
        for (name, reading) in readings { headers += fields(name, reading, rounded: true) }
        if let latest = readings.map(\.1.reset).max() {
            let total = RateLimitDecision.Reading(
                limit: readings.reduce(0) { $0 + $1.1.limit }, remaining: readings.reduce(0) { $0 + $1.1.remaining },
                reset: latest)
            headers += fields("tokens", total, rounded: true)
        }
        return headers
    }

    private static func fields(_ name: String, _ reading: RateLimitDecision.Reading, rounded: Bool) -> [(
        String, String
    )] {
        let remaining = rounded ? (reading.remaining + 500) / 1000 * 1000 : reading.remaining
        return [
            ("anthropic-ratelimit-\(name)-limit", "\(reading.limit)"),
            ("anthropic-ratelimit-\(name)-remaining", "\(remaining)"),
            ("anthropic-ratelimit-\(name)-reset", rfc3339(reading.reset)),
        ]
    }

    /// A time as RFC 3339 in UTC, rounded up to the whole second, such as `2026-12-04T20:41:07Z`.
    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.up)))
    }

    /// The tokens an answer costs, from its `usage`: Claude's `input_tokens` plus
    /// `cache_creation_input_tokens` against ITPM and `output_tokens` against OTPM (Anthropic,
    /// "Rate limits": ITPM counts uncached input and cache writes; OTPM the output produced; read
    /// 2026-12-04), Voyage's `total_tokens` against TPM. None for an answer without usage.
    static func tokens(route: String, body: Data) -> [TokenMeter: Int] {
        guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let usage = json["usage"] as? [String: Any]
        else { return [:] }
        if route == "/v1/embeddings" { return [.tokens: usage["total_tokens"] as? Int ?? 0] }
        let input = (usage["input_tokens"] as? Int ?? 0) + (usage["cache_creation_input_tokens"] as? Int ?? 0)
        return [.inputTokens: input, .outputTokens: usage["output_tokens"] as? Int ?? 0]
    }
}
