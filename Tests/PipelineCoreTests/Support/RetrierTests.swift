import Foundation
import Logging
import TestSupport
import Testing

@testable import PipelineCore

/// The one retry loop: attempts, the server's wait, and the invocation deadline's budget.
@Suite struct RetrierTests {
    private let logger = Logger(label: "retrier-test")

    private func retrier(attempts: Int = 4, timeout: Duration = .seconds(10), deadline: Date? = nil) -> Retrier {
        Retrier(
            service: "Test", policy: RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(1)), timeout: timeout,
            deadline: deadline)
    }

    struct Flaky: Error {}
    struct Final: Error {}

    @Test func retriesWhatTheAdapterCallsTransientAndStopsAtTheFinal() async throws {
        let calls = Recorder<Int>()
        let value = try await retrier().run(
            "Op", logger: logger,
            attempt: { _ in
                if calls.append(1) < 3 { throw Flaky() }
                return "done"
            },
            decide: { result in
                if case .failure(is Flaky) = result { return .retry(after: nil) }
                return .finish
            })
        #expect(value == "done" && calls.count == 3)

        let finals = Recorder<Int>()
        await #expect(throws: Final.self) {
            try await retrier().run(
                "Op", logger: logger,
                attempt: { _ -> Int in
                    finals.append(1)
                    throw Final()
                }, decide: { _ in .finish })
        }
        #expect(finals.count == 1)
    }

    @Test func theLastFailureIsThrownWhenTheAttemptsAreSpent() async throws {
        let calls = Recorder<Int>()
        await #expect(throws: Flaky.self) {
            try await retrier(attempts: 3).run(
                "Op", logger: logger,
                attempt: { _ -> Int in
                    calls.append(1)
                    throw Flaky()
                }, decide: { _ in .retry(after: nil) })
        }
        #expect(calls.count == 3)
    }

    @Test func theServersWaitIsHonoured() async throws {
        let times = Recorder<ContinuousClock.Instant>()
        _ = try await retrier().run(
            "Op", logger: logger,
            attempt: { _ in times.append(.now) },
            decide: { _ in times.count < 2 ? .retry(after: .milliseconds(300)) : .finish })
        let seen = times.all
        #expect(seen.count == 2 && seen[1] - seen[0] >= .milliseconds(300))
    }

    /// A hung attempt is cut at the deadline less the reserve, and the error names the service,
    /// the attempts and the deadline, a second before the deadline.
    @Test func aHungAttemptEndsBeforeTheDeadline() async throws {
        let deadline = Date().addingTimeInterval(3.5)
        let limits = Recorder<Duration>()
        let error = await #expect(throws: RetryBudgetExceeded.self) {
            try await retrier(deadline: deadline).run(
                "Hang", logger: logger,
                attempt: { limit -> Int in
                    limits.append(limit)
                    try await Task.sleep(for: .seconds(60))
                    return 0
                }, decide: { _ in .retry(after: nil) })
        }
        #expect(Date() < deadline.addingTimeInterval(-0.8))
        #expect(limits.count == 1 && limits.all[0] <= .milliseconds(2500))
        #expect(error?.attempts == 1 && error?.last is AttemptTimedOut)
        let text = error.map { "\($0)" } ?? ""
        #expect(text.hasPrefix("Test Hang gave up after 1 attempt"), "\(text)")
        #expect(text.contains("invocation deadline " + RetryBudgetExceeded.format(deadline)), "\(text)")
    }

    @Test func noAttemptStartsWithoutTimeForIt() async throws {
        let calls = Recorder<Int>()
        let error = await #expect(throws: RetryBudgetExceeded.self) {
            try await retrier(deadline: Date().addingTimeInterval(1.5)).run(
                "Late", logger: logger, attempt: { _ in calls.append(1) }, decide: { _ in .finish })
        }
        #expect(calls.count == 0 && error?.attempts == 0)
        #expect(error.map { "\($0)" }?.contains("made no attempt") == true)
    }

    /// A retryable answer that the deadline leaves no time to retry is returned as it is, for the
    /// adapter to type (a 529 stays a 529); the task-local deadline applies without an explicit one.
    @Test func aRetryableAnswerIsReturnedWhenTheBudgetEnds() async throws {
        let calls = Recorder<Int>()
        let value = try await InvocationDeadline.$current.withValue(Date().addingTimeInterval(3.2)) {
            try await retrier().run(
                "Busy", logger: logger, attempt: { _ in calls.append(1) },
                decide: { _ in .retry(after: .milliseconds(500)) })
        }
        #expect(value == 1 && calls.count == 1)
    }
}
