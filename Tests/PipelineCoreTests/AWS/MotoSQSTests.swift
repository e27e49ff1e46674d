import Foundation
import PipelineCore
import TestSupport
import Testing

/// The SQS client on moto, with signature verification on.
@Suite(.enabled(if: MotoServer.enabled, "needs moto (scripts/test)"))
struct MotoSQSTests {
    @Test func sendsReceivesRetriesAndDeletes() async throws {
        let server = try MotoServer.requireVerifying()
        let sqs = SQSClient(client: server.client(), endpoint: server.endpoint)
        let queue = try await sqs.createQueue(MotoServer.uniqueName("jobs"), attributes: ["VisibilityTimeout": "30"])
        #expect(try await sqs.attributes(of: queue, names: ["QueueArn"])["QueueArn"]?.hasPrefix("arn:aws:sqs:") == true)
        let id = try await sqs.send(to: queue, body: #"{"n": "ü 1"}"#, attributes: ["ERROR_MESSAGE": "it's \"bad\""])

        let first = try await sqs.receive(from: queue, wait: .seconds(2))
        try #require(first.count == 1)
        #expect(first[0].messageID == id && first[0].body == #"{"n": "ü 1"}"#)
        #expect(first[0].messageAttributes["ERROR_MESSAGE"] == #"it's "bad""#)
        #expect(first[0].receiveCount == 1)
        #expect(try await sqs.receive(from: queue, wait: .zero).isEmpty)  // invisible for 30 s

        try await sqs.changeVisibility(of: first[0].receiptHandle, in: queue, to: .zero)
        let second = try await sqs.receive(from: queue, wait: .seconds(2))
        try #require(second.count == 1)
        #expect(second[0].receiveCount == 2)
        try await sqs.delete(from: queue, receiptHandle: second[0].receiptHandle)
        #expect(try await sqs.receive(from: queue, wait: .zero).isEmpty)
    }
}
