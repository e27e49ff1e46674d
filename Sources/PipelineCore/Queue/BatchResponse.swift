/// A partial batch response: the messages of an SQS batch that failed and stay in their queue
/// (`FunctionResponseTypes: [ReportBatchItemFailures]`; docs.aws.amazon.com/lambda/latest/dg/
/// services-sqs-errorhandling.html, read 2026-12-04). Every other message of the batch is deleted.
public struct BatchResponse: Codable, Sendable, Equatable {
    /// One failed message.
    public struct ItemFailure: Codable, Sendable, Equatable {
        /// The message id.
        public var itemIdentifier: String

        /// Names a failed message.
        public init(itemIdentifier: String) {
            self.itemIdentifier = itemIdentifier
        }
    }

    /// The failed messages; empty when all succeeded.
    public var batchItemFailures: [ItemFailure]

    /// Creates a response.
    public init(failedMessageIDs: [String]) {
        batchItemFailures = failedMessageIDs.map(ItemFailure.init(itemIdentifier:))
    }
}

/// What an invocation answers: the stage's output for a single event, the partial batch
/// response for an SQS batch.
public enum InvocationOutput<Output: Encodable & Sendable>: Encodable, Sendable {
    /// A single event's output.
    case event(Output)
    /// A batch's failures.
    case batch(BatchResponse)

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .event(let output): try output.encode(to: encoder)
        case .batch(let response): try response.encode(to: encoder)
        }
    }
}
