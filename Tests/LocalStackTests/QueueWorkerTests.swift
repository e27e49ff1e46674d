import Foundation
import LocalStack
import Logging
import PipelineCore
import TestSupport
import Testing

/// The queue worker on moto's SQS, as an event source mapping with partial batch responses:
/// a batch in one invocation, only the messages the answer names stay, the queue's redrive
/// policy dead-letters, and a failed invocation keeps its whole batch.
@Suite(.enabled(if: MotoServer.enabled, "needs moto (scripts/test)"))
struct QueueWorkerTests {
    /// A queue (1 s visibility, dead-lettering after `maxReceiveCount`) and its dead-letter queue
    /// on moto, and a worker feeding the test bootstrap from them.
    static func setUp(
        maxReceiveCount: Int, timeout: Duration, batchSize: Int = 10, logger: Logger = Logger(label: "test")
    )
        async throws -> (SQSClient, source: String, deadLetter: String, FunctionHost, QueueWorker)
    {
        let server = try MotoServer.requireVerifying()
        let sqs = SQSClient(client: server.client(), endpoint: server.endpoint)
        let deadLetter = try await sqs.createQueue(MotoServer.uniqueName("fn-dlq"))
        let deadLetterARN = try #require(try await sqs.attributes(of: deadLetter, names: ["QueueArn"])["QueueArn"])
        let source = try await sqs.createQueue(
            MotoServer.uniqueName("fn"),
            attributes: [
                "VisibilityTimeout": "1",
                "RedrivePolicy": #"{"deadLetterTargetArn":"\#(deadLetterARN)","maxReceiveCount":\#(maxReceiveCount)}"#,
            ])
        let host = FunctionHost(
            configuration: .init(
                name: "test", executable: TestEnvironment.file("fixtures/runtime/test_bootstrap.py"),
                environment: ProcessInfo.processInfo.environment.filter { $0.key == "PATH" }, timeout: timeout),
            logger: Logger(label: "test"))
        try await host.start()
        let worker = QueueWorker(
            sqs: sqs, source: .init(queueURL: source, batchSize: batchSize, batchingWindow: .seconds(1)),
            hosts: [host], logger: logger)
        return (sqs, source, deadLetter, host, worker)
    }

    static func counts(_ sqs: SQSClient, _ queue: String) async throws -> (visible: String?, inFlight: String?) {
        let attributes = try await sqs.attributes(
            of: queue, names: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
        return (attributes["ApproximateNumberOfMessages"], attributes["ApproximateNumberOfMessagesNotVisible"])
    }

    @Test func aBatchKeepsOnlyItsFailedMessageWhichTheRedrivePolicyDeadLetters() async throws {
        let (sqs, source, deadLetter, host, worker) = try await Self.setUp(maxReceiveCount: 2, timeout: .seconds(10))
        for body in [#"{"echo": "a"}"#, #"{"fail": "no analysis 42 is stored"}"#, #"{"echo": "b"}"#] {
            try await sqs.send(to: source, body: body)
        }
        let running = Task { await worker.run() }
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
        #expect(dead[0].receiveCount >= 2, "received twice before the queue moved it")
        let left = try await Self.counts(sqs, source)
        #expect(left.visible == "0" && left.inFlight == "0", "the two successes were deleted: \(left)")
    }

    @Test func aFailedInvocationKeepsItsWholeBatch() async throws {
        let (sqs, source, _, host, worker) = try await Self.setUp(maxReceiveCount: 100, timeout: .seconds(10))
        try await sqs.send(to: source, body: #"{"echo": "a"}"#)
        try await sqs.send(to: source, body: #"{"fail": "boom", "whole": true}"#)
        let running = Task { await worker.run() }
        // Each message comes back after the 1 s visibility timeout and fails again with its batch.
        try await Task.sleep(for: .seconds(5))
        running.cancel()
        await running.value
        await host.stop()
        var back: [SQSMessage] = []
        let start = ContinuousClock.now
        while Set(back.map(\.body)).count < 2, ContinuousClock.now - start < .seconds(10) {
            back += try await sqs.receive(from: source, maximum: 10, wait: .seconds(1))
        }
        #expect(Set(back.map(\.body)).count == 2, "neither message of the failed batch was deleted")
        #expect(back.allSatisfy { $0.receiveCount >= 2 }, "\(back.map(\.receiveCount))")
    }

    @Test func anEventInterruptedByStoppingGoesBackToTheQueueNotToTheDeadLetters() async throws {
        let (sqs, source, deadLetter, host, worker) = try await Self.setUp(
            maxReceiveCount: 5, timeout: .seconds(30))
        try await sqs.setAttributes(of: source, ["VisibilityTimeout": "60"])
        let running = Task { await worker.run() }
        try await sqs.send(to: source, body: #"{"sleep": 20}"#)
        let start = ContinuousClock.now
        var inFlight = "0"
        while inFlight == "0", ContinuousClock.now - start < .seconds(15) {
            try await Task.sleep(for: .milliseconds(100))
            inFlight = try await Self.counts(sqs, source).inFlight ?? "0"
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
