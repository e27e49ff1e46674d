/// One token bucket: it holds at most `limit` units, and refills continuously at `limit` per
/// period, so a full bucket allows a burst of `limit` and an empty one gives a unit back every
/// `period / limit`.
///
/// Anthropic, "Rate limits" (https://platform.claude.com/docs/en/api/rate-limits, read
/// 2026-12-04): limits are enforced with the token bucket algorithm; capacity is replenished
/// continuously up to the maximum rather than reset at fixed intervals, and a rate of 60 per minute
/// may be enforced as 1 per second. Voyage's limits ("Rate Limits",
/// https://docs.voyageai.com/docs/rate-limits, read 2026-12-04) count requests and tokens
/// "within one minute"; the stand-in uses the same bucket for them.
///
/// The arithmetic is exact: the level is kept in unit-microseconds (units × the period in
/// microseconds), so refilling for `t` microseconds adds `t × limit` and nothing is rounded until
/// a wait is rounded up to the next microsecond.
struct TokenBucket: Sendable, Equatable {
    /// The most the bucket holds, and what it refills per period.
    let limit: Int
    /// The period, in microseconds.
    let periodMicros: Int
    /// The level in unit-microseconds: from 0 to `limit × periodMicros`.
    private(set) var scaled: Int
    /// When the level was last brought up to date, in microseconds on the limiter's clock.
    private(set) var updated: Int

    /// A full bucket at `start`.
    init(limit: Int, periodMicros: Int, start: Int = 0) {
        self.limit = limit
        self.periodMicros = periodMicros
        scaled = limit * periodMicros
        updated = start
    }

    private var capacity: Int { limit * periodMicros }

    /// Whole units in the bucket now.
    var remaining: Int { scaled / periodMicros }

    /// Brings the level up to `now`; a time before the last update changes nothing.
    mutating func refill(at now: Int) {
        guard now > updated else { return }
        // After a whole period even an empty bucket is full, so the product cannot overflow.
        let elapsed = min(now - updated, periodMicros)
        scaled = min(capacity, scaled + elapsed * limit)
        updated = now
    }

    /// Microseconds until the bucket holds `cost` units (a cost over the limit waits for a full
    /// bucket); 0 when it holds them now.
    func wait(for cost: Int) -> Int {
        let needed = min(max(cost, 0), limit) * periodMicros
        guard scaled < needed else { return 0 }
        return (needed - scaled + limit - 1) / limit
    }

    /// Microseconds until the bucket is full again.
    var untilFull: Int { (capacity - scaled + limit - 1) / limit }

    /// Takes `cost` units, or all there are when it is more.
    mutating func take(_ cost: Int) {
        scaled = max(0, scaled - min(max(cost, 0), limit) * periodMicros)
    }
}
