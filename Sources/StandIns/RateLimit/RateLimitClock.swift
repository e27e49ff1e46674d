import Foundation

/// The time a ``StandInServer``'s rate limiter reads: a monotonic clock for the buckets, and the
/// wall clock for the RFC 3339 reset times it reports. Tests give it one they move by hand.
public struct RateLimitClock: Sendable {
    /// Time since the clock's start; never goes back.
    public var elapsed: @Sendable () -> Duration
    /// The wall-clock time now.
    public var date: @Sendable () -> Date

    /// Creates a clock.
    public init(elapsed: @escaping @Sendable () -> Duration, date: @escaping @Sendable () -> Date) {
        self.elapsed = elapsed
        self.date = date
    }

    /// The system's clocks: `ContinuousClock` from now, and `Date()`.
    public static func system() -> RateLimitClock {
        let start = ContinuousClock.now
        return RateLimitClock(elapsed: { ContinuousClock.now - start }, date: { Date() })
    }

    /// Microseconds since the start.
    var micros: Int {
        let (seconds, attoseconds) = elapsed().components
        return Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000)
    }
}
