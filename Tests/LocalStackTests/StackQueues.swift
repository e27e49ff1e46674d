import Foundation
import LocalStack
import PipelineCore

@testable import TestSupport

/// The depths of a running local stack's queues, as `collections local status` reads them.
struct StackQueues {
    let stack: StackState

    /// Messages waiting or in flight on every function's queue, and on every dead-letter queue.
    func depths() async throws -> (pending: Int, deadLetters: Int) {
        let sqs = try stack.sqs()
        let names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        func count(_ queue: String) async throws -> Int {
            let attributes = try await sqs.attributes(of: queue, names: names)
            return names.reduce(0) { $0 + (Int(attributes[$1] ?? "") ?? 0) }
        }
        var pending = 0
        var deadLetters = 0
        for function in stack.functions {
            pending += try await count(function.queueURL)
            deadLetters += try await count(function.deadLetterURL)
        }
        return (pending, deadLetters)
    }

    /// Waits until no function queue holds a message (waiting, in flight or awaiting a retry)
    /// for `settle` in a row.
    func waitUntilIdle(timeout: Duration, settle: Duration = .seconds(3)) async throws {
        var idleSince: ContinuousClock.Instant?
        try await waitFor("the stack's queues to drain", timeout: timeout) {
            guard try await depths().pending == 0 else {
                idleSince = nil
                return false
            }
            let since = idleSince ?? .now
            idleSince = since
            return ContinuousClock.now - since >= settle
        }
    }
}
