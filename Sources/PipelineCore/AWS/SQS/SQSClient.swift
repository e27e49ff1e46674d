import Foundation

/// Amazon SQS over its JSON protocol (`AmazonSQS.*`, `application/x-amz-json-1.0`): what the
/// local stack needs to feed functions from queues and keep their failures.
public struct SQSClient: Sendable {
    /// The signed transport.
    public let client: AWSClient
    /// Where requests go.
    public let endpoint: AWSEndpoint

    /// Creates a client.
    public init(client: AWSClient, endpoint: AWSEndpoint) {
        self.client = client
        self.endpoint = endpoint
    }

    /// Creates a queue (or finds the one with the same name and attributes).
    /// - Returns: its URL.
    public func createQueue(_ name: String, attributes: [String: String] = [:]) async throws -> String {
        struct Output: Decodable {
            var queueUrl: String
            enum CodingKeys: String, CodingKey { case queueUrl = "QueueUrl" }
        }
        var input: [String: AnyEncodable] = ["QueueName": .init(name)]
        if !attributes.isEmpty { input["Attributes"] = .init(attributes) }
        return try await call("CreateQueue", input, as: Output.self).queueUrl
    }

    /// Sets queue attributes, such as `VisibilityTimeout` or `RedrivePolicy`.
    public func setAttributes(of queueURL: String, _ attributes: [String: String]) async throws {
        struct Output: Decodable {}
        let input: [String: AnyEncodable] = ["QueueUrl": .init(queueURL), "Attributes": .init(attributes)]
        _ = try await call("SetQueueAttributes", input, as: Output.self)
    }

    /// Queue attributes, such as `QueueArn` or `ApproximateNumberOfMessages`.
    public func attributes(of queueURL: String, names: [String] = ["All"]) async throws -> [String: String] {
        struct Output: Decodable {
            var attributes: [String: String]?
            enum CodingKeys: String, CodingKey { case attributes = "Attributes" }
        }
        let input: [String: AnyEncodable] = ["QueueUrl": .init(queueURL), "AttributeNames": .init(names)]
        return try await call("GetQueueAttributes", input, as: Output.self).attributes ?? [:]
    }

    /// Sends one message, with string attributes, invisible for `delay` (whole seconds, at most 900).
    /// - Returns: the message id.
    @discardableResult
    public func send(to queueURL: String, body: String, attributes: [String: String] = [:], delay: Duration? = nil)
        async throws -> String
    {
        struct Output: Decodable {
            var messageId: String
            enum CodingKeys: String, CodingKey { case messageId = "MessageId" }
        }
        var input: [String: AnyEncodable] = ["QueueUrl": .init(queueURL), "MessageBody": .init(body)]
        if !attributes.isEmpty {
            input["MessageAttributes"] = .init(
                attributes.mapValues { ["DataType": "String", "StringValue": $0] })
        }
        if let delay { input["DelaySeconds"] = .init(Int(delay.milliseconds / 1000)) }
        return try await call("SendMessage", input, as: Output.self).messageId
    }

    /// Receives up to `maximum` messages, waiting up to `wait` for the first (long polling), with
    /// every system attribute (`SentTimestamp`, `ApproximateReceiveCount`, and
    /// `DeadLetterQueueSourceArn` on a message SQS's redrive policy moved) and every message
    /// attribute.
    ///
    /// System attributes are asked for with `MessageSystemAttributeNames`; `AttributeNames` "has
    /// been discontinued but will be supported for backward compatibility" (ReceiveMessageRequest,
    /// AWS SDK for Ruby reference, docs.aws.amazon.com/sdk-for-ruby/v3/api/Aws/SQS/Types/ReceiveMessageRequest.html;
    /// `DeadLetterQueueSourceArn` in MessageSystemAttributeName, AWS SDK for Kotlin reference,
    /// docs.aws.amazon.com/sdk-for-kotlin/api/latest/sqs/aws.sdk.kotlin.services.sqs.model/-message-system-attribute-name/;
    /// both read 2026-12-04).
    public func receive(
        from queueURL: String, maximum: Int = 1, wait: Duration = .seconds(20), visibilityTimeout: Duration? = nil
    ) async throws -> [SQSMessage] {
        struct Output: Decodable {
            var messages: [SQSMessage]?
            enum CodingKeys: String, CodingKey { case messages = "Messages" }
        }
        var input: [String: AnyEncodable] = [
            "QueueUrl": .init(queueURL), "MaxNumberOfMessages": .init(min(max(maximum, 1), 10)),
            "WaitTimeSeconds": .init(Int(wait.milliseconds / 1000)), "MessageSystemAttributeNames": .init(["All"]),
            "MessageAttributeNames": .init(["All"]),
        ]
        if let visibilityTimeout { input["VisibilityTimeout"] = .init(Int(visibilityTimeout.milliseconds / 1000)) }
        return try await call("ReceiveMessage", input, as: Output.self).messages ?? []
    }

    /// Deletes a received message.
    public func delete(from queueURL: String, receiptHandle: String) async throws {
        struct Output: Decodable {}
        let input: [String: AnyEncodable] = ["QueueUrl": .init(queueURL), "ReceiptHandle": .init(receiptHandle)]
        _ = try await call("DeleteMessage", input, as: Output.self)
    }

    /// Deletes up to 10 received messages in one call (`DeleteMessageBatch`).
    /// - Returns: the receipt handles SQS could not delete, with its reason.
    public func delete(from queueURL: String, receiptHandles: [String]) async throws -> [String: String] {
        struct Output: Decodable {
            struct Failure: Decodable {
                var id: String
                var message: String?
                enum CodingKeys: String, CodingKey {
                    case id = "Id"
                    case message = "Message"
                }
            }
            var failed: [Failure]?
            enum CodingKeys: String, CodingKey { case failed = "Failed" }
        }
        var failed: [String: String] = [:]
        for start in stride(from: 0, to: receiptHandles.count, by: 10) {
            let chunk = Array(receiptHandles[start..<min(start + 10, receiptHandles.count)])
            let entries = chunk.enumerated().map { ["Id": "m\($0.offset)", "ReceiptHandle": $0.element] }
            let input: [String: AnyEncodable] = ["QueueUrl": .init(queueURL), "Entries": .init(entries)]
            for failure in try await call("DeleteMessageBatch", input, as: Output.self).failed ?? [] {
                guard let index = Int(failure.id.dropFirst()), chunk.indices.contains(index) else { continue }
                failed[chunk[index]] = failure.message ?? "not deleted"
            }
        }
        return failed
    }

    /// Makes a received message visible again after `timeout` (zero: at once).
    public func changeVisibility(of receiptHandle: String, in queueURL: String, to timeout: Duration) async throws {
        struct Output: Decodable {}
        let input: [String: AnyEncodable] = [
            "QueueUrl": .init(queueURL), "ReceiptHandle": .init(receiptHandle),
            "VisibilityTimeout": .init(Int(timeout.milliseconds / 1000)),
        ]
        _ = try await call("ChangeMessageVisibility", input, as: Output.self)
    }

    private func call<Output: Decodable>(_ operation: String, _ input: [String: AnyEncodable], as: Output.Type)
        async throws -> Output
    {
        try await client.callJSON(
            "AmazonSQS.\(operation)", input: input, as: Output.self, service: .sqs, endpoint: endpoint,
            jsonVersion: "1.0")
    }
}

/// A received SQS message.
public struct SQSMessage: Decodable, Sendable, Equatable {
    /// The message id.
    public var messageID: String
    /// The handle to delete it or change its visibility.
    public var receiptHandle: String
    /// The body.
    public var body: String
    /// System attributes, such as `ApproximateReceiveCount`.
    public var attributes: [String: String]
    /// String message attributes.
    public var messageAttributes: [String: String]

    /// How many times it has been received, this time included.
    public var receiveCount: Int { Int(attributes["ApproximateReceiveCount"] ?? "") ?? 1 }

    enum CodingKeys: String, CodingKey {
        case messageID = "MessageId"
        case receiptHandle = "ReceiptHandle"
        case body = "Body"
        case attributes = "Attributes"
        case messageAttributes = "MessageAttributes"
    }

    struct AttributeValue: Decodable {
        var stringValue: String?
        enum CodingKeys: String, CodingKey { case stringValue = "StringValue" }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messageID = try container.decode(String.self, forKey: .messageID)
        receiptHandle = try container.decode(String.self, forKey: .receiptHandle)
        body = try container.decode(String.self, forKey: .body)
        attributes = try container.decodeIfPresent([String: String].self, forKey: .attributes) ?? [:]
        messageAttributes =
            (try container.decodeIfPresent([String: AttributeValue].self, forKey: .messageAttributes) ?? [:])
            .compactMapValues(\.stringValue)
    }
}
