import StandIns
import Testing

/// `--rate-limit`: the written form, and a specific complaint for every kind of bad input.
@Suite struct RateLimitParsingTests {
    @Test func readsEachServicesRequestsAndTokenLimits() throws {
        let limits = try RateLimits(parsing: " claude=300/min:itpm=30000:otpm=8000 , voyage=5/s:tpm=3000000")
        #expect(
            limits.claude
                == ServiceRateLimit(
                    requests: Rate(300, per: .minute),
                    tokensPerMinute: [
                        .inputTokens: 30000, .outputTokens: 8000,
                    ]))
        #expect(
            limits.voyage == ServiceRateLimit(requests: Rate(5, per: .second), tokensPerMinute: [.tokens: 3_000_000]))
        #expect(limits.description == "claude=300/min:itpm=30000:otpm=8000,voyage=5/s:tpm=3000000")
        #expect(try RateLimits(parsing: limits.description) == limits)
        #expect(
            try RateLimits(parsing: "voyage=2000/min") == RateLimits(voyage: .init(requests: Rate(2000, per: .minute))))
        #expect(try RateLimits(parsing: "") == .none && RateLimits.none.description == "none")
    }

    @Test func namesWhatIsWrongWithEachBadInput() {
        let cases: [(String, String)] = [
            ("claude", "is not SERVICE=RATE"),
            ("claude=", "is not SERVICE=RATE"),
            ("openai=5/s", "names no service: use claude or voyage"),
            ("claude=5/s,claude=6/s", "limits claude twice"),
            ("claude=300", "needs a request rate such as 300/min or 5/s"),
            ("claude=300/min/s", "needs a request rate such as 300/min or 5/s"),
            ("claude=0/min", "needs a whole number of requests from 1 to"),
            ("claude=-3/min", "needs a whole number of requests from 1 to"),
            ("claude=1.5/s", "needs a whole number of requests from 1 to"),
            ("claude=99999999999/s", "needs a whole number of requests from 1 to"),
            ("claude=300/hour", "has the unit \"/hour\": use /min or /s"),
            ("claude=300/min:tpm=5", "which claude has no limit for: use itpm or otpm"),
            ("voyage=300/min:itpm=5", "which voyage has no limit for: use tpm"),
            ("claude=300/min:itpm", "token limits are written as itpm=N or otpm=N"),
            ("claude=300/min:", "token limits are written as itpm=N or otpm=N"),
            ("claude=300/min:itpm=0", "needs itpm as a whole number of tokens per minute"),
            ("voyage=300/min:tpm=lots", "needs tpm as a whole number of tokens per minute"),
            ("claude=300/min:itpm=1:itpm=2", "gives itpm twice"),
        ]
        for (text, problem) in cases {
            let error = #expect(throws: RateLimitsError.self, "\(text)") { try RateLimits(parsing: text) }
            #expect(error?.problem.contains(problem) == true, "\(text): \(error?.description ?? "")")
            #expect(error?.description.hasPrefix("rate limit \"\(text.split(separator: ",").last!)\" ") == true)
        }
    }
}
