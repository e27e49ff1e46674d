import Foundation
import Logging

/// Carries out a ``Settlement`` for a failed message of an SQS batch, from inside the function:
/// its visibility, a dead-letter with its error, or a delayed copy. When a call fails, the
/// message is reported failed and the queue's own redrive policy remains the safety net.
public struct MessageSettler: Sendable {
    let sqs: SQSClient
    let policy: QueuePolicy
    let function: String

    /// Creates a settler for `function`'s messages.
    public init(sqs: SQSClient, policy: QueuePolicy, function: String) {
        self.sqs = sqs
        self.policy = policy
        self.function = function
    }

    /// Settles one message that failed with `error`.
    /// - Returns: true when the message must be reported as a batch item failure (it stays in
    ///   its queue); false when it has left the queue's hands (dead-lettered or sent again).
    public func settle(_ record: SQSEventRecord, error: any Error, logger: Logger) async -> Bool {
        let settlement = policy.settlement(for: error, receiveCount: record.receiveCount)
        let metadata: Logger.Metadata = [
            "message_id": "\(record.messageID)", "receive_count": "\(record.receiveCount)",
            "settlement": "\(settlement)",
        ]
        do {
            switch settlement {
            case .retry(let wait):
                guard let queue = record.queueURL else { return true }
                try await sqs.changeVisibility(of: record.receiptHandle, in: queue, to: Self.clamp(wait, to: 43_200))
                return true
            case .deadLetter:
                guard let deadLetter = policy.deadLetterQueueURL else { return true }
                let body = LambdaErrorBody(error)
                try await sqs.send(
                    to: deadLetter, body: record.body,
                    attributes: [
                        "ERROR_TYPE": body.errorType, "ERROR_MESSAGE": String(body.errorMessage.prefix(4000)),
                        "FUNCTION": function, "ATTEMPTS": "\(record.receiveCount)",
                        "SOURCE_QUEUE": record.eventSourceARN,
                    ])
                logger.error("dead-lettered with its error", metadata: metadata.merging(["error": "\(error)"]) { $1 })
                return false
            case .requeue(let wait):
                guard let queue = record.queueURL else { return true }
                try await sqs.send(to: queue, body: record.body, delay: Self.clamp(wait, to: 900))
                logger.warning("throttled at its last receive: sent again", metadata: metadata)
                return false
            }
        } catch {
            logger.error(
                "cannot settle the message; it stays in its queue",
                metadata: metadata.merging(["error": "\(error)"]) { $1 })
            return true
        }
    }

    /// Whole seconds, rounded up, within `0...limit`.
    static func clamp(_ wait: Duration, to limit: Int) -> Duration {
        let seconds = Int((Double(wait.milliseconds) / 1000).rounded(.up))
        return .seconds(min(max(seconds, 0), limit))
    }
}
