/// One service's limits: a request rate and token limits per minute.
public struct ServiceRateLimit: Sendable, Equatable, CustomStringConvertible {
    /// Requests allowed per period (a bucket of that many, refilled over the period).
    public var requests: Rate
    /// Tokens allowed per minute, by meter; a meter absent here is not limited.
    public var tokensPerMinute: [TokenMeter: Int]

    /// The largest count accepted, so that the buckets' arithmetic stays within 64 bits.
    public static let maxCount = 10_000_000_000

    /// Creates limits.
    public init(requests: Rate, tokensPerMinute: [TokenMeter: Int] = [:]) {
        self.requests = requests
        self.tokensPerMinute = tokensPerMinute
    }

    /// Reads `RATE[:METER=N...]` for `service`; `part` names the whole for errors.
    init(parsing text: String, service: RateLimitedService, part: String) throws {
        let pieces = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        requests = try Rate(parsing: pieces[0], part: part)
        tokensPerMinute = [:]
        let names = service.tokenMeters.map(\.rawValue).joined(separator: " or ")
        let written = service.tokenMeters.map { "\($0.rawValue)=N" }.joined(separator: " or ")
        for option in pieces.dropFirst() {
            let pair = option.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else {
                throw RateLimitsError(part: part, problem: "has \"\(option)\": token limits are written as \(written)")
            }
            guard let meter = TokenMeter(rawValue: pair[0]), service.tokenMeters.contains(meter) else {
                throw RateLimitsError(
                    part: part, problem: "has \"\(pair[0])\", which \(service) has no limit for: use \(names)")
            }
            guard tokensPerMinute[meter] == nil else {
                throw RateLimitsError(part: part, problem: "gives \(meter.rawValue) twice")
            }
            guard let count = Int(pair[1]), (1...Self.maxCount).contains(count) else {
                throw RateLimitsError(
                    part: part,
                    problem: "needs \(meter.rawValue) as a whole number of tokens per minute from 1 to \(Self.maxCount)"
                )
            }
            tokensPerMinute[meter] = count
        }
    }

    public var description: String {
        let tokens = TokenMeter.allCases.compactMap { meter in tokensPerMinute[meter].map { ":\(meter.rawValue)=\($0)" }
        }
        return "\(requests)" + tokens.joined()
    }
}

/// A count per second or per minute.
public struct Rate: Sendable, Equatable, CustomStringConvertible {
    /// What the count is per.
    public enum Period: String, Sendable, Equatable {
        /// Per second, written `/s`.
        case second = "s"
        /// Per minute, written `/min`.
        case minute = "min"

        /// The period in microseconds.
        var micros: Int { self == .second ? 1_000_000 : 60_000_000 }
        /// The period in words.
        var noun: String { self == .second ? "second" : "minute" }
    }

    /// How many per period.
    public var count: Int
    /// The period.
    public var period: Period

    /// Creates a rate.
    public init(_ count: Int, per period: Period) {
        self.count = count
        self.period = period
    }

    /// Reads `N/min` or `N/s`.
    init(parsing text: String, part: String) throws {
        let pair = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard pair.count == 2 else {
            throw RateLimitsError(part: part, problem: "needs a request rate such as 300/min or 5/s, not \"\(text)\"")
        }
        guard let count = Int(pair[0]), (1...ServiceRateLimit.maxCount).contains(count) else {
            throw RateLimitsError(
                part: part, problem: "needs a whole number of requests from 1 to \(ServiceRateLimit.maxCount)")
        }
        guard let period = Period(rawValue: pair[1]) else {
            throw RateLimitsError(part: part, problem: "has the unit \"/\(pair[1])\": use /min or /s")
        }
        self.init(count, per: period)
    }

    public var description: String { "\(count)/\(period.rawValue)" }
}
