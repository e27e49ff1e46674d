import Foundation
import LocalStack
import Logging
import PipelineCore
import TestSupport
import Testing

/// The queue worker on moto's SQS: successes are deleted, failures retried, then dead-lettered.
@Suite(.enabled(if: MotoServer.enabled, "needs moto (scripts/test)"))
struct QueueWorkerTests {
    /// A queue and its dead-letter queue on moto, and a worker feeding the test bootstrap from them.
    func setUp(maxAttempts: Int, timeout: Duration) async throws -> (
        SQSClient, source: String, deadLetter: String, FunctionHost, QueueWorker
    ) {
        let server = try MotoServer.requireVerifying()
        let sqs = SQSClient(client: server.client(), endpoint: server.endpoint)
        let source = try await sqs.createQueue(MotoServer.uniqueName("fn"))
        let deadLetter = try await sqs.createQueue(MotoServer.uniqueName("fn-dlq"))
        let host = FunctionHost(
            configuration: .init(
                name: "test", executable: TestEnvironment.file("fixtures/runtime/test_bootstrap.py"),
                environment: ProcessInfo.processInfo.environment.filter { $0.key == "PATH" }, timeout: timeout),
            logger: Logger(label: "test"))
        try await host.start()
        let worker = QueueWorker(
            sqs: sqs, queues: .init(source: source, deadLetter: deadLetter), hosts: [host],
            maxAttempts: maxAttempts, backoff: .zero, logger: Logger(label: "test"))
        return (sqs, source, deadLetter, host, worker)
    }

    @Test func retriesFailuresThenMovesThemToTheDeadLetterQueueWithTheirError() async throws {
        let (sqs, source, deadLetter, host, worker) = try await setUp(maxAttempts: 3, timeout: .seconds(10))
        let running = Task { await worker.run() }
        try await sqs.send(to: source, body: #"{"echo": "fine"}"#)
        try await sqs.send(to: source, body: #"{"fail": "no analysis 42 is stored"}"#)

        var dead: [SQSMessage] = []
        let start = ContinuousClock.now
        while dead.isEmpty, ContinuousClock.now - start < .seconds(30) {
            dead = try await sqs.receive(from: deadLetter, wait: .seconds(1))
        }
        running.cancel()
        await running.value
        await host.stop()
        try #require(dead.count == 1)
        #expect(dead[0].body == #"{"fail": "no analysis 42 is stored"}"#)
        #expect(dead[0].messageAttributes["ERROR_TYPE"] == "TestError")
        #expect(dead[0].messageAttributes["ERROR_MESSAGE"] == "no analysis 42 is stored")
        #expect(dead[0].messageAttributes["FUNCTION"] == "test")
        #expect(dead[0].messageAttributes["ATTEMPTS"] == "3")
        let left = try await sqs.attributes(
            of: source, names: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
        #expect(
            left["ApproximateNumberOfMessages"] == "0" && left["ApproximateNumberOfMessagesNotVisible"] == "0",
            "\(left)")
    }

    @Test func anEventInterruptedByStoppingGoesBackToTheQueueNotToTheDeadLetters() async throws {
        let (sqs, source, deadLetter, host, worker) = try await setUp(maxAttempts: 1, timeout: .seconds(30))
        let running = Task { await worker.run() }
        try await sqs.send(to: source, body: #"{"sleep": 20}"#)
        let start = ContinuousClock.now
        var inFlight = "0"
        while inFlight == "0", ContinuousClock.now - start < .seconds(15) {
            try await Task.sleep(for: .milliseconds(100))
            inFlight =
                try await sqs.attributes(of: source, names: ["ApproximateNumberOfMessagesNotVisible"])[
                    "ApproximateNumberOfMessagesNotVisible"] ?? "0"
        }
        #expect(inFlight == "1", "the worker took the event")
        // As `collections local down` does: the host stops while the invocation runs.
        await host.stop()
        running.cancel()
        await running.value
        let back = try await sqs.receive(from: source, wait: .seconds(2))
        #expect(back.map(\.body) == [#"{"sleep": 20}"#], "visible again at once, for the next start")
        #expect(try await sqs.receive(from: deadLetter, wait: .zero).isEmpty)
    }
}
