import Foundation
import Logging
import PipelineCore
import Synchronization
import Testing

/// The runner decodes each event once, answers a single event as before, and answers an SQS
/// batch with a partial batch response naming only what failed.
@Suite struct EventRunnerTests {
    /// Counts its own decodes: one per event is the rule.
    struct Counted: Decodable, Sendable {
        static let decodes = Atomic<Int>(0)
        var name: String

        enum CodingKeys: String, CodingKey { case name }

        init(from decoder: any Decoder) throws {
            Self.decodes.add(1, ordering: .relaxed)
            name = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .name)
        }
    }

    struct Stage: EventStage {
        typealias Event = Counted
        typealias Output = [String: String]
        static let eventName = "test event"

        func handle(_ event: Counted, logger: Logger) async throws -> [String: String] {
            if event.name.hasPrefix("fail") { throw EventError(.invalidField, "told to fail") }
            return ["handled": event.name]
        }
    }

    let logger = Logger(label: "test")

    static func record(_ id: String, _ body: String) -> SQSEventRecord {
        SQSEventRecord(
            messageID: id, receiptHandle: "handle-\(id)", body: body, attributes: ["ApproximateReceiveCount": "1"],
            eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:q")
    }

    static func batch(_ records: [SQSEventRecord]) throws -> Data {
        try PipelineJSON.encoder.encode(SQSEvent(records: records))
    }

    func json(_ output: InvocationOutput<[String: String]>) throws -> String {
        String(decoding: try PipelineJSON.encoder.encode(output), as: UTF8.self)
    }

    @Test func aSingleEventIsDecodedOnceAndAnsweredAsBefore() async throws {
        let runner = EventRunner(stage: Stage(), settler: nil, metrics: .discarded)
        let before = Counted.decodes.load(ordering: .relaxed)
        let output = try await runner.handle(Data(#"{"name":"one"}"#.utf8), logger: logger)
        #expect(Counted.decodes.load(ordering: .relaxed) - before == 1)
        #expect(try json(output) == #"{"handled":"one"}"#)
        await #expect(throws: EventError.self) {
            try await runner.handle(Data(#"{"name":"fail"}"#.utf8), logger: logger)
        }
    }

    @Test func aBatchNamesOnlyItsFailedMessages() async throws {
        let runner = EventRunner(stage: Stage(), settler: nil, metrics: .discarded)
        let payload = try Self.batch([
            Self.record("a", #"{"name":"ok"}"#), Self.record("b", #"{"name":"fail"}"#),
            Self.record("c", "not json"), Self.record("d", #"{"name":"ok too"}"#),
        ])
        let before = Counted.decodes.load(ordering: .relaxed)
        let output = try await runner.handle(payload, logger: logger)
        #expect(Counted.decodes.load(ordering: .relaxed) - before == 3, "one decode per decodable body")
        #expect(try json(output) == #"{"batchItemFailures":[{"itemIdentifier":"b"},{"itemIdentifier":"c"}]}"#)
    }

    @Test func aBatchOverTheSingleEventLimitIsHandledButAnOversizedEventIsNot() async throws {
        let runner = EventRunner(stage: Stage(), settler: nil, metrics: .discarded)
        let padding = String(repeating: "x", count: 100_000)
        let records = (0..<4).map { Self.record("\($0)", #"{"name":"n\#($0)","padding":"\#(padding)"}"#) }
        let payload = try Self.batch(records)
        #expect(payload.count > EventSizeLimit.bytes)
        #expect(try json(try await runner.handle(payload, logger: logger)) == #"{"batchItemFailures":[]}"#)
        let single = Data(#"{"name":"big","padding":"\#(String(repeating: "x", count: EventSizeLimit.bytes))"}"#.utf8)
        let error = await #expect(throws: EventError.self) { try await runner.handle(single, logger: logger) }
        #expect(error?.code == .tooLarge)
        let oversizedBody = Self.record("big", String(decoding: single, as: UTF8.self))
        #expect(
            try json(try await runner.handle(Self.batch([oversizedBody]), logger: logger))
                == #"{"batchItemFailures":[{"itemIdentifier":"big"}]}"#)
    }

    @Test func anS3NotificationIsASingleEventNotABatch() throws {
        let notification = S3EventSamples.put(bucket: "b", key: "u/a.jpg", size: 1, etag: "e")
        guard case .event(let event) = try Invocation<UploadEvent>.decode(notification, what: "upload event") else {
            Issue.record("an S3 notification was taken for an SQS batch")
            return
        }
        guard case .notification(let records) = event else {
            Issue.record("\(event)")
            return
        }
        #expect(records.count == 1)
    }
}
