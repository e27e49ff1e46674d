import Foundation

/// The deadline of the invocation the current task serves, so that retries deep in a model client
/// give up in time for the runtime to report the error instead of being killed.
public enum InvocationDeadline {
    /// The current invocation's deadline; nil outside an invocation.
    @TaskLocal public static var current: Date?

    /// Time kept back from the deadline to report an error.
    public static let reserve: Duration = .seconds(1)

    /// Time left before `deadline`, less ``reserve``.
    public static func usableTime(until deadline: Date, now: Date = Date()) -> Duration {
        .milliseconds(Int64((deadline.timeIntervalSince(now) * 1000).rounded(.down))) - reserve
    }
}
