import Foundation

/// The rate limits the stand-ins enforce, per service, as the real services do.
///
/// Written as `claude=300/min:itpm=30000:otpm=8000,voyage=2000/min:tpm=3000000`: for each service
/// a request rate (`N/min` or `N/s`), then optional token limits per minute after colons (Claude:
/// `itpm` input and `otpm` output tokens, as Anthropic limits them; Voyage: `tpm`). Claude on
/// Bedrock shares Claude's limits. A service not named is not limited; an empty string limits
/// nothing.
public struct RateLimits: Sendable, Equatable, CustomStringConvertible {
    /// Limits on `/v1/messages` and Bedrock's InvokeModel together; nil for none.
    public var claude: ServiceRateLimit?
    /// Limits on `/v1/embeddings`; nil for none.
    public var voyage: ServiceRateLimit?

    /// No limits.
    public static let none = RateLimits()

    /// Creates limits.
    public init(claude: ServiceRateLimit? = nil, voyage: ServiceRateLimit? = nil) {
        self.claude = claude
        self.voyage = voyage
    }

    /// Reads the written form.
    /// - Throws: ``RateLimitsError`` naming the part that is wrong and why.
    public init(parsing text: String) throws {
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, !pair[1].isEmpty else {
                throw RateLimitsError(part: part, problem: "is not SERVICE=RATE, such as claude=300/min")
            }
            guard let service = RateLimitedService(rawValue: pair[0]) else {
                throw RateLimitsError(part: part, problem: "names no service: use claude or voyage")
            }
            guard self[service] == nil else { throw RateLimitsError(part: part, problem: "limits \(service) twice") }
            self[service] = try ServiceRateLimit(parsing: pair[1], service: service, part: part)
        }
    }

    /// The limits of one service.
    public subscript(service: RateLimitedService) -> ServiceRateLimit? {
        get { service == .claude ? claude : voyage }
        set {
            if service == .claude { claude = newValue } else { voyage = newValue }
        }
    }

    public var description: String {
        let parts = RateLimitedService.allCases.compactMap { service in self[service].map { "\(service)=\($0)" } }
        return parts.isEmpty ? "none" : parts.joined(separator: ",")
    }
}

/// A service the stand-ins can rate-limit.
public enum RateLimitedService: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The Claude Messages API, and Claude on Bedrock.
    case claude
    /// The Voyage embeddings API.
    case voyage

    /// The token limits the service has, by their written names.
    public var tokenMeters: [TokenMeter] { self == .claude ? [.inputTokens, .outputTokens] : [.tokens] }

    public var description: String { rawValue }
}

/// A per-minute token limit, by its written name.
public enum TokenMeter: String, Sendable, CaseIterable, Hashable {
    /// Claude's input tokens per minute (ITPM).
    case inputTokens = "itpm"
    /// Claude's output tokens per minute (OTPM).
    case outputTokens = "otpm"
    /// Voyage's tokens per minute (TPM).
    case tokens = "tpm"
}

/// A rate limit that cannot be read.
public struct RateLimitsError: Error, Equatable, CustomStringConvertible {
    /// The part that is wrong.
    public let part: String
    /// What is wrong with it.
    public let problem: String
    public var description: String { "rate limit \"\(part)\" \(problem)" }
}
