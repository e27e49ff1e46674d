import Foundation

/// Failures the stand-ins inject, by configuration: rates of 429 (with `retry-after`), 500, 529
/// (503 on the embeddings route, as Voyage has no 529), hung requests, and added latency.
///
/// Written as `429=0.1,500=0.05,529=0.05,hang=0.01,latency=20ms,retry-after=200ms,hang-for=30s,seed=7`:
/// each rate is a probability per request, drawn in that order from one seeded generator so a
/// run can be repeated.
public struct FaultPlan: Sendable, Equatable, CustomStringConvertible {
    /// Probability of 429 `rate_limit_error`.
    public var rateLimited = 0.0
    /// Probability of 500 `api_error`.
    public var serverError = 0.0
    /// Probability of 529 `overloaded_error` (503 from the embeddings route).
    public var overloaded = 0.0
    /// Probability of a request that gets no answer for ``hangFor``.
    public var hang = 0.0
    /// Added to every answer.
    public var latency: Duration = .zero
    /// What a 429 asks the client to wait, in `retry-after-ms` and (rounded up) `retry-after`.
    public var retryAfter: Duration = .milliseconds(200)
    /// How long a hung request hangs before it is answered anyway.
    public var hangFor: Duration = .seconds(30)
    /// The generator's seed; nil for a random one.
    public var seed: UInt64?

    /// No faults.
    public static let none = FaultPlan()

    /// Creates a plan.
    public init(
        rateLimited: Double = 0, serverError: Double = 0, overloaded: Double = 0, hang: Double = 0,
        latency: Duration = .zero, seed: UInt64? = nil
    ) {
        self.rateLimited = rateLimited
        self.serverError = serverError
        self.overloaded = overloaded
        self.hang = hang
        self.latency = latency
        self.seed = seed
    }

    /// Reads the written form; an empty string is no faults.
    /// - Throws: ``FaultPlanError`` naming the part that is wrong.
    public init(parsing text: String) throws {
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { throw FaultPlanError(part: part, problem: "is not name=value") }
            let (name, value) = (pair[0], pair[1])
            switch name {
            case "429": rateLimited = try Self.rate(value, part)
            case "500": serverError = try Self.rate(value, part)
            case "529": overloaded = try Self.rate(value, part)
            case "hang": hang = try Self.rate(value, part)
            case "latency": latency = try Self.duration(value, part)
            case "retry-after": retryAfter = try Self.duration(value, part)
            case "hang-for": hangFor = try Self.duration(value, part)
            case "seed":
                guard let number = UInt64(value) else { throw FaultPlanError(part: part, problem: "needs an integer") }
                seed = number
            default:
                throw FaultPlanError(
                    part: part, problem: "names no fault: use 429, 500, 529, hang, latency, retry-after, hang-for, seed"
                )
            }
        }
        guard rateLimited + serverError + overloaded + hang <= 1 else {
            throw FaultPlanError(part: text, problem: "has rates that add up to more than 1")
        }
    }

    /// The total failure rate.
    public var failureRate: Double { rateLimited + serverError + overloaded + hang }

    public var description: String {
        var parts: [String] = []
        for (name, rate) in [("429", rateLimited), ("500", serverError), ("529", overloaded), ("hang", hang)]
        where rate > 0 {
            parts.append("\(name)=\(rate)")
        }
        if latency > .zero { parts.append("latency=\(latency.milliseconds)ms") }
        if rateLimited > 0 { parts.append("retry-after=\(retryAfter.milliseconds)ms") }
        if hang > 0 { parts.append("hang-for=\(hangFor.milliseconds)ms") }
        if let seed { parts.append("seed=\(seed)") }
        return parts.isEmpty ? "none" : parts.joined(separator: ",")
    }

    private static func rate(_ value: String, _ part: String) throws -> Double {
        guard let rate = Double(value), (0...1).contains(rate) else {
            throw FaultPlanError(part: part, problem: "needs a probability from 0 to 1")
        }
        return rate
    }

    private static func duration(_ value: String, _ part: String) throws -> Duration {
        let (number, scale): (String, Double) =
            value.hasSuffix("ms")
            ? (String(value.dropLast(2)), 1) : (value.hasSuffix("s") ? String(value.dropLast()) : value, 1000)
        guard let amount = Double(number), amount >= 0 else {
            throw FaultPlanError(part: part, problem: "needs a duration such as 250ms or 2s")
        }
        return .milliseconds(Int64(amount * scale))
    }
}

/// A fault plan that cannot be read.
public struct FaultPlanError: Error, CustomStringConvertible {
    /// The part that is wrong.
    public let part: String
    /// What is wrong with it.
    public let problem: String
    public var description: String { "fault plan \"\(part)\" \(problem)" }
}
