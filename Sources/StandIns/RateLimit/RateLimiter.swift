import Foundation

/// Holds each limited service's buckets (one for requests, one per token meter), decides whether
/// a request fits, and counts the requests it refused per route.
///
/// A request is admitted only when every bucket holds its cost (1 request, and the tokens its
/// answer's `usage` counts); then all of it is taken. A refused request takes nothing. The wait
/// it is told is the longest any bucket needs to hold its cost.
actor RateLimiter {
    /// The limits enforced.
    let limits: RateLimits
    /// The clock read.
    nonisolated let clock: RateLimitClock
    private var buckets: [RateLimitedService: Buckets] = [:]
    private(set) var throttled: [String: Int] = [:]

    private struct Buckets {
        var requests: TokenBucket
        var tokens: [TokenMeter: TokenBucket]
    }

    init(limits: RateLimits, clock: RateLimitClock) {
        self.limits = limits
        self.clock = clock
        let start = clock.micros
        for service in RateLimitedService.allCases {
            guard let limit = limits[service] else { continue }
            buckets[service] = Buckets(
                requests: TokenBucket(
                    limit: limit.requests.count, periodMicros: limit.requests.period.micros, start: start),
                tokens: limit.tokensPerMinute.mapValues {
                    TokenBucket(limit: $0, periodMicros: Rate.Period.minute.micros, start: start)
                })
        }
    }

    /// Decides one request to `service` that arrived at `arrival` (``RateLimitClock/micros``).
    /// - Parameters:
    ///   - tokens: its tokens by meter (none to check the request alone).
    ///   - commit: whether to take the cost when it fits (false to check only).
    ///   - route: the route a refusal is counted under.
    /// - Returns: nil when the service is not limited.
    func decide(
        _ service: RateLimitedService, route: String, tokens: [TokenMeter: Int], arrival: Int, commit: Bool
    ) -> RateLimitDecision? {
        guard var state = buckets[service], let limit = limits[service] else { return nil }
        state.requests.refill(at: arrival)
        for meter in state.tokens.keys { state.tokens[meter]!.refill(at: arrival) }
        var longest: (wait: Int, exceeded: String)? = nil
        let requestWait = state.requests.wait(for: 1)
        if requestWait > 0 {
            let noun = limit.requests.count == 1 ? "request" : "requests"
            longest = (requestWait, "\(limit.requests.count) \(noun) per \(limit.requests.period.noun)")
        }
        for (meter, bucket) in state.tokens {
            let wait = bucket.wait(for: tokens[meter] ?? 0)
            if wait > (longest?.wait ?? 0) { longest = (wait, "\(bucket.limit) \(meter.noun) per minute") }
        }
        if longest == nil, commit {
            state.requests.take(1)
            for (meter, cost) in tokens { state.tokens[meter]?.take(cost) }
        }
        buckets[service] = state
        if longest != nil { throttled[route, default: 0] += 1 }
        let now = clock.date()
        func reading(_ bucket: TokenBucket) -> RateLimitDecision.Reading {
            .init(
                limit: bucket.limit, remaining: bucket.remaining,
                reset: now.addingTimeInterval(Double(bucket.untilFull) / 1_000_000))
        }
        return RateLimitDecision(
            retryAfterSeconds: longest.map { max(1, ($0.wait + 999_999) / 1_000_000) },
            exceeded: longest?.exceeded, requests: reading(state.requests),
            tokens: state.tokens.mapValues(reading))
    }
}

/// What the limiter decided about one request, and the buckets' state after it.
struct RateLimitDecision: Sendable {
    /// One bucket's state, as the rate-limit headers report it.
    struct Reading: Sendable, Equatable {
        /// Its limit per period.
        var limit: Int
        /// Whole units left.
        var remaining: Int
        /// When it is full again.
        var reset: Date
    }

    /// Whole seconds to wait, at least 1, when refused; nil when admitted.
    var retryAfterSeconds: Int?
    /// The limit that refused it, in words, such as `300 requests per minute`.
    var exceeded: String?
    /// The requests bucket.
    var requests: Reading
    /// The token buckets.
    var tokens: [TokenMeter: Reading]

    /// Whether the request fits.
    var admitted: Bool { retryAfterSeconds == nil }
}

extension TokenMeter {
    /// The meter's unit in words.
    var noun: String {
        switch self {
        case .inputTokens: "input tokens"
        case .outputTokens: "output tokens"
        case .tokens: "tokens"
        }
    }
}
