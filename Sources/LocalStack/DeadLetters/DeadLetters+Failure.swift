import Foundation
import PipelineCore

extension DeadLetters {
    /// One failed event.
    public struct Failure: Sendable, Codable, Equatable {
        /// The function that failed.
        public var function: String
        /// The SQS message id in the dead-letter queue.
        public var messageID: String
        /// The error type the function reported, such as `ImagingError.corruptImage`; empty when
        /// none was recorded (``movedByRedrivePolicy``).
        public var errorType: String
        /// The error message, or what is known when no error was recorded.
        public var errorMessage: String
        /// Attempts made: the function's count, or the receives before SQS moved it.
        public var attempts: Int
        /// The event's detail-type.
        public var detailType: String
        /// The object key or item id the event was about.
        public var subject: String
        /// When it was dead-lettered (seconds since 1970).
        public var failedAt: Double
        /// The event as delivered.
        public var event: String
        /// True when SQS's redrive policy moved it there (the function timed out or crashed, so it
        /// recorded no error), false when the function wrote it on its last failed attempt.
        public var movedByRedrivePolicy: Bool
        /// The queue SQS moved it from (`DeadLetterQueueSourceArn`), when SQS says.
        public var sourceQueueARN: String?

        /// The error as one line: `type: message`, or the message alone when no type was recorded.
        public var error: String { errorType.isEmpty ? errorMessage : "\(errorType): \(errorMessage)" }
    }
}

extension DeadLetters.Failure {
    /// Reads a dead-lettered message. One our function wrote carries `ERROR_TYPE`,
    /// `ERROR_MESSAGE`, `FUNCTION` and `ATTEMPTS`; one SQS's redrive policy moved carries none, and
    /// its receives come from the source queue's `maxReceiveCount` (exact: SQS moves a message
    /// received that many times), else from its `ApproximateReceiveCount` less this listing's own
    /// receive. SQS keeps counting receives in the dead-letter queue, so that count grows with
    /// every listing.
    init(_ message: SQSMessage, function: String, source: SourceQueuePolicy?) {
        let summary = EventSummary(body: message.body)
        let sourceARN = message.attributes["DeadLetterQueueSourceArn"]
        self.function = function
        messageID = message.messageID
        detailType = summary.detailType
        subject = summary.subject
        failedAt = (Double(message.attributes["SentTimestamp"] ?? "") ?? 0) / 1000
        event = message.body
        sourceQueueARN = sourceARN
        if let type = message.messageAttributes["ERROR_TYPE"] {
            movedByRedrivePolicy = false
            errorType = type
            errorMessage = message.messageAttributes["ERROR_MESSAGE"] ?? ""
            attempts = Int(message.messageAttributes["ATTEMPTS"] ?? "") ?? 0
            return
        }
        movedByRedrivePolicy = true
        errorType = ""
        let fromThisQueue = sourceARN == nil || sourceARN == source?.queueARN
        let receives: Int
        if fromThisQueue, let maxReceiveCount = source?.maxReceiveCount {
            receives = maxReceiveCount
        } else {
            receives = max(message.receiveCount - 1, 1)
        }
        attempts = receives
        var text =
            "no error recorded: moved by the queue's redrive policy after \(receives) receives (a timeout or crash;"
            + " see the function's logs)"
        if let sourceARN, !fromThisQueue { text += "; moved from \(sourceARN)" }
        errorMessage = text
    }
}

/// What a function's source queue says about its redrive policy: its ARN and `maxReceiveCount`.
struct SourceQueuePolicy: Sendable, Equatable {
    /// The queue's ARN.
    var queueARN: String?
    /// Receives before SQS moves a message to the dead-letter queue; nil without a policy.
    var maxReceiveCount: Int?

    /// Reads the queue's `QueueArn` and `RedrivePolicy` (`{"deadLetterTargetArn": ...,
    /// "maxReceiveCount": N}`, N a number or a string); nil when they cannot be read.
    static func read(_ queueURL: String, sqs: SQSClient) async -> SourceQueuePolicy? {
        guard let attributes = try? await sqs.attributes(of: queueURL, names: ["QueueArn", "RedrivePolicy"])
        else { return nil }
        let policy = attributes["RedrivePolicy"].flatMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let count = policy?["maxReceiveCount"]
        return SourceQueuePolicy(
            queueARN: attributes["QueueArn"], maxReceiveCount: (count as? Int) ?? (count as? String).flatMap(Int.init))
    }
}
