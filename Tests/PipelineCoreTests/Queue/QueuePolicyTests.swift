import Foundation
import PipelineCore
import Testing

/// What a function does with a failed message of its queue, per kind of failure and receive.
@Suite struct QueuePolicyTests {
    struct Busy: ClassifiedError {
        var failureKind: FailureKind { .transient }
        var retryAfter: Duration? { .seconds(42) }
    }

    struct Broken: ClassifiedError {
        var failureKind: FailureKind { .permanent(code: "corruptImage") }
    }

    struct Flaky: Error {}

    var policy: QueuePolicy {
        var policy = QueuePolicy()
        policy.maxReceiveCount = 5
        policy.retryDelay = .seconds(30)
        return policy
    }

    @Test func aTransientFailureBacksOffThenIsDeadLetteredAtTheLastReceive() {
        #expect(policy.settlement(for: Flaky(), receiveCount: 1) == .retry(after: .seconds(30)))
        #expect(policy.settlement(for: Flaky(), receiveCount: 2) == .retry(after: .seconds(60)))
        #expect(policy.settlement(for: Flaky(), receiveCount: 4) == .retry(after: .seconds(240)))
        #expect(policy.settlement(for: Flaky(), receiveCount: 5) == .deadLetter)
        var long = policy
        long.maxReceiveCount = 20
        #expect(long.settlement(for: Flaky(), receiveCount: 12) == .retry(after: QueuePolicy.maximumRetryDelay))
    }

    @Test func aThrottledCallWaitsWhatTheServiceSaidAndIsNeverDeadLettered() {
        #expect(policy.settlement(for: Busy(), receiveCount: 1) == .retry(after: .seconds(42)))
        #expect(policy.settlement(for: Busy(), receiveCount: 5) == .requeue(after: .seconds(42)))
        let spent = RetryBudgetExceeded(
            service: "Claude", operation: "POST /v1/messages", attempts: 1, deadline: Date(), last: Busy())
        #expect(policy.settlement(for: spent, receiveCount: 5) == .requeue(after: .seconds(42)))
    }

    @Test func inputThatCanNeverSucceedIsDeadLetteredAtOnce() {
        #expect(policy.settlement(for: Broken(), receiveCount: 1) == .deadLetter)
        #expect(policy.settlement(for: EventError(.missingField, "no detail"), receiveCount: 1) == .deadLetter)
    }

    @Test func anEventNotStartedGoesBackAtOnce() {
        #expect(policy.settlement(for: NotAttempted(timeLeft: .seconds(1)), receiveCount: 3) == .retry(after: .zero))
    }

    @Test func theEnvironmentSetsThePolicyAndABadValueIsNamed() throws {
        let read = try QueuePolicy(environment: [
            "COLLECTIONS_MAX_RECEIVE_COUNT": "7", "COLLECTIONS_RETRY_DELAY_SECONDS": "0.25",
            "COLLECTIONS_DEAD_LETTER_QUEUE_URL": "https://sqs.eu-west-1.amazonaws.com/1/dlq",
        ])
        #expect(read.maxReceiveCount == 7 && read.retryDelay == .milliseconds(250))
        #expect(read.deadLetterQueueURL == "https://sqs.eu-west-1.amazonaws.com/1/dlq")
        #expect(try QueuePolicy(environment: [:]) == QueuePolicy())
        let error = #expect(throws: ConfigurationError.self) {
            try QueuePolicy(environment: ["COLLECTIONS_RETRY_DELAY_SECONDS": "soon"])
        }
        #expect(error?.variable == "COLLECTIONS_RETRY_DELAY_SECONDS")
        #expect(throws: ConfigurationError.self) {
            try QueuePolicy(environment: ["COLLECTIONS_MAX_RECEIVE_COUNT": "0"])
        }
    }

    @Test func aRecordKnowsItsQueueURLAndReceiveCount() {
        let record = SQSEventRecord(
            messageID: "m", receiptHandle: "r", body: "{}", attributes: ["ApproximateReceiveCount": "3"],
            eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:s-analyzer")
        #expect(record.queueURL == "https://sqs.eu-west-1.amazonaws.com/123456789012/s-analyzer")
        #expect(record.receiveCount == 3)
        #expect(SQSEventRecord(messageID: "m", receiptHandle: "r", body: "", eventSourceARN: "nope").queueURL == nil)
    }
}
