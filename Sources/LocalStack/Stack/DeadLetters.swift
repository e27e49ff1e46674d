import Foundation
import PipelineCore

/// The events that failed every attempt, in the functions' dead-letter queues: listing them
/// with their errors (`collections local failures`) and sending them back (`local redrive`).
public struct DeadLetters: Sendable {
    /// One failed event.
    public struct Failure: Sendable, Codable, Equatable {
        /// The function that failed.
        public var function: String
        /// The SQS message id in the dead-letter queue.
        public var messageID: String
        /// The error type the function reported, such as `ImagingError.corruptImage`.
        public var errorType: String
        /// The error message.
        public var errorMessage: String
        /// Attempts made.
        public var attempts: Int
        /// The event's detail-type.
        public var detailType: String
        /// The object key or item id the event was about.
        public var subject: String
        /// When it was dead-lettered (seconds since 1970).
        public var failedAt: Double
        /// The event as delivered.
        public var event: String
    }

    let sqs: SQSClient
    let state: StackState

    /// Creates the view for a stack.
    public init(sqs: SQSClient, state: StackState) {
        self.sqs = sqs
        self.state = state
    }

    /// Every failed event, oldest first; they stay in their queues.
    public func list() async throws -> [Failure] {
        var failures: [Failure] = []
        for function in state.functions {
            let messages = try await drain(function.deadLetterURL)
            for message in messages {
                try? await sqs.changeVisibility(of: message.receiptHandle, in: function.deadLetterURL, to: .zero)
            }
            failures += messages.map { Self.failure($0, function: function.name) }
        }
        return failures.sorted { $0.failedAt < $1.failedAt }
    }

    /// Sends failed events back to their functions' queues, for a fresh set of attempts.
    /// - Parameter function: only this function's failures (its name or executable); nil for all.
    /// - Returns: how many were sent back.
    @discardableResult
    public func redrive(function filter: String? = nil) async throws -> Int {
        var count = 0
        for function in state.functions where filter == nil || filter == function.name || filter == function.executable
        {
            for message in try await drain(function.deadLetterURL) {
                try await sqs.send(to: function.queueURL, body: message.body)
                try await sqs.delete(from: function.deadLetterURL, receiptHandle: message.receiptHandle)
                count += 1
            }
        }
        return count
    }

    /// Receives everything visible in a queue, keeping it invisible for a minute.
    private func drain(_ queueURL: String) async throws -> [SQSMessage] {
        var messages: [SQSMessage] = []
        while true {
            let batch = try await sqs.receive(from: queueURL, maximum: 10, wait: .zero, visibilityTimeout: .seconds(60))
            if batch.isEmpty { return messages }
            messages += batch
        }
    }

    static func failure(_ message: SQSMessage, function: String) -> Failure {
        let summary = EventSummary(body: message.body)
        return Failure(
            function: function, messageID: message.messageID,
            errorType: message.messageAttributes["ERROR_TYPE"] ?? "?",
            errorMessage: message.messageAttributes["ERROR_MESSAGE"] ?? "",
            attempts: Int(message.messageAttributes["ATTEMPTS"] ?? "") ?? 0, detailType: summary.detailType,
            subject: summary.subject,
            failedAt: (Double(message.attributes["SentTimestamp"] ?? "") ?? 0) / 1000, event: message.body)
    }
}
