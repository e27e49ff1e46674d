import Foundation
import Testing

@testable import StandIns

/// The token bucket and the limiter's decisions, on a clock the test moves: no sleeping.
@Suite struct RateLimitArithmeticTests {
    private let minute = 60_000_000

    @Test func aFullBucketAllowsItsLimitThenRefillsContinuously() {
        var bucket = TokenBucket(limit: 300, periodMicros: minute)
        #expect(bucket.remaining == 300 && bucket.wait(for: 300) == 0)
        bucket.take(300)
        #expect(bucket.remaining == 0)
        #expect(bucket.wait(for: 1) == 200_000)  // 300 a minute is one every 0.2 s
        bucket.refill(at: 100_000)
        #expect(bucket.remaining == 0 && bucket.wait(for: 1) == 100_000)
        bucket.refill(at: 200_000)
        #expect(bucket.remaining == 1 && bucket.wait(for: 1) == 0)
        bucket.refill(at: 30_000_000)
        #expect(bucket.remaining == 150)
        bucket.refill(at: 10 * minute)
        #expect(bucket.remaining == 300 && bucket.untilFull == 0)  // never above the limit
    }

    @Test func waitsAreExactAndRoundedUpToTheMicrosecond() {
        var bucket = TokenBucket(limit: 3, periodMicros: 1_000_000)
        bucket.take(3)
        #expect(bucket.wait(for: 1) == 333_334)
        #expect(bucket.untilFull == 1_000_000)
        bucket.refill(at: 333_333)
        #expect(bucket.remaining == 0)
        bucket.refill(at: 333_334)
        #expect(bucket.remaining == 1)
        bucket.refill(at: 100)  // an earlier time changes nothing
        #expect(bucket.remaining == 1 && bucket.updated == 333_334)
    }

    @Test func aCostOverTheLimitWaitsForAFullBucket() {
        var bucket = TokenBucket(limit: 5, periodMicros: 1_000_000)
        bucket.take(2)
        #expect(bucket.wait(for: 50) == 400_000)
        bucket.take(50)
        #expect(bucket.remaining == 0)
    }

    @Test func refusesWhatDoesNotFitTakesNothingAndSaysHowLongToWait() async throws {
        let clock = ManualClock()
        let limits = try RateLimits(parsing: "claude=2/s:itpm=100:otpm=1000")
        let limiter = RateLimiter(limits: limits, clock: clock.rateLimitClock)
        let first = try #require(
            await limiter.decide(
                .claude, route: "/v1/messages", tokens: [.inputTokens: 60, .outputTokens: 10], arrival: 0,
                commit: true))
        #expect(first.admitted && first.requests.remaining == 1 && first.tokens[.inputTokens]?.remaining == 40)
        let second = try #require(
            await limiter.decide(
                .claude, route: "/v1/messages", tokens: [.inputTokens: 60, .outputTokens: 10], arrival: 0,
                commit: true))
        // 20 input tokens short at 100 a minute: 12 s.
        #expect(second.retryAfterSeconds == 12 && second.exceeded == "100 input tokens per minute")
        #expect(second.requests.remaining == 1 && second.tokens[.inputTokens]?.remaining == 40)
        #expect(second.tokens[.inputTokens]?.reset == clock.start.addingTimeInterval(36))
        #expect(await limiter.throttled == ["/v1/messages": 1])
        #expect(await limiter.decide(.voyage, route: "/v1/embeddings", tokens: [:], arrival: 0, commit: true) == nil)
    }

    @Test func retryAfterIsAtLeastOneSecondAndBedrockSharesClaudesBucket() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(limits: try RateLimits(parsing: "claude=300/min"), clock: clock.rateLimitClock)
        for _ in 0..<300 {
            let decision = await limiter.decide(.claude, route: "/v1/messages", tokens: [:], arrival: 0, commit: true)
            #expect(decision?.admitted == true)
        }
        let refused = await limiter.decide(.claude, route: "/model/invoke", tokens: [:], arrival: 0, commit: true)
        #expect(refused?.retryAfterSeconds == 1 && refused?.exceeded == "300 requests per minute")
        let later = await limiter.decide(.claude, route: "/model/invoke", tokens: [:], arrival: 200_000, commit: true)
        #expect(later?.admitted == true)
        #expect(await limiter.throttled == ["/model/invoke": 1])
    }
}
