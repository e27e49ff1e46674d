import Foundation

/// One message of the batch an SQS event source mapping invokes a function with.
///
/// The shape Lambda documents for an SQS event (docs.aws.amazon.com/lambda/latest/dg/with-sqs.html,
/// read 2026-12-04): `messageId`, `receiptHandle`, `body` (here the EventBridge event as its rule
/// delivered it), `attributes` (`ApproximateReceiveCount`, `SentTimestamp`, ...),
/// `messageAttributes`, `eventSource` `aws:sqs`, `eventSourceARN` and `awsRegion`.
public struct SQSEventRecord: Decodable, Sendable, Equatable {
    /// The message id: what a partial batch response names.
    public var messageID: String
    /// The handle for this receipt, to change the message's visibility.
    public var receiptHandle: String
    /// The message body.
    public var body: String
    /// The system attributes, such as `ApproximateReceiveCount`.
    public var attributes: [String: String]
    /// `aws:sqs`.
    public var eventSource: String
    /// The queue's ARN, `arn:aws:sqs:region:account:name`.
    public var eventSourceARN: String

    enum CodingKeys: String, CodingKey {
        case messageID = "messageId"
        case receiptHandle, body, attributes, eventSource, eventSourceARN
    }

    /// Creates a record.
    public init(
        messageID: String, receiptHandle: String, body: String, attributes: [String: String] = [:],
        eventSourceARN: String
    ) {
        self.messageID = messageID
        self.receiptHandle = receiptHandle
        self.body = body
        self.attributes = attributes
        self.eventSource = "aws:sqs"
        self.eventSourceARN = eventSourceARN
    }

    /// How many times the message has been received, this time included (1 when unknown).
    public var receiveCount: Int { Int(attributes["ApproximateReceiveCount"] ?? "") ?? 1 }

    /// The queue's URL, from its ARN: `https://sqs.<region>.amazonaws.com/<account>/<name>`, the
    /// form SQS documents; the client sends it to its own endpoint, which routes by the path.
    public var queueURL: String? {
        let parts = eventSourceARN.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "sqs" else { return nil }
        return "https://sqs.\(parts[3]).amazonaws.com/\(parts[4])/\(parts[5])"
    }
}

/// The SQS event a function receives from an event source mapping: `{"Records": [...]}`.
public struct SQSEvent: Encodable, Sendable {
    /// The messages.
    public var records: [SQSEventRecord]

    enum CodingKeys: String, CodingKey {
        case records = "Records"
    }

    /// Creates an event.
    public init(records: [SQSEventRecord]) {
        self.records = records
    }
}

extension SQSEventRecord: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: CodingKeys.self)
        try fields.encode(messageID, forKey: .messageID)
        try fields.encode(receiptHandle, forKey: .receiptHandle)
        try fields.encode(body, forKey: .body)
        try fields.encode(attributes, forKey: .attributes)
        try fields.encode(eventSource, forKey: .eventSource)
        try fields.encode(eventSourceARN, forKey: .eventSourceARN)
    }
}
