import Foundation
import StandIns
import Synchronization

/// A clock for the rate limiter that moves only when told.
final class ManualClock: Sendable {
    /// The wall-clock time at elapsed zero.
    let start = Date(timeIntervalSince1970: 1_796_000_000)
    private let now = Mutex(Duration.zero)

    /// Moves the clock on.
    func advance(by duration: Duration) { now.withLock { $0 += duration } }

    /// The clock, for a ``StandInServer`` or a limiter.
    var rateLimitClock: RateLimitClock {
        RateLimitClock(
            elapsed: { self.now.withLock { $0 } },
            date: {
                let (seconds, attoseconds) = self.now.withLock { $0 }.components
                return self.start.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
            })
    }
}
