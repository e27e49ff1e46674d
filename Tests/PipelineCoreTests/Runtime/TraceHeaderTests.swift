import Foundation
import Logging
import PipelineCore
import TestSupport
import Testing

/// The trace header of the event being handled travels on in the events a stage sends: the
/// invocation's, or an SQS message's own `AWSTraceHeader`.
@Suite struct TraceHeaderTests {
    let header = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
    let detail = ImageAnalyzed(itemID: UUID(), analysisID: UUID(), model: "m", promptVersion: "v1")

    @Test func anEntryCarriesTheCurrentTraceAsItsTraceHeader() throws {
        let entry = try TraceHeader.$current.withValue(header) { try EventEntry(detail) }
        #expect(entry.traceHeader == header)
        let json = String(decoding: try PipelineJSON.encoder.encode(PutEventsEntries(entries: [entry])), as: UTF8.self)
        #expect(json.contains(#""TraceHeader":"Root=1-5759e988"#), "\(json)")
        #expect(try EventEntry(detail).traceHeader == nil, "no trace, no TraceHeader member")
    }

    @Test(arguments: ["Parent=53995c3f42cd8ad8;Sampled=1", "", "Root=1-" + String(repeating: "a", count: 500)])
    func aHeaderPutEventsWouldNotTakeIsLeftOut(bad: String) throws {
        #expect(try TraceHeader.$current.withValue(bad) { try EventEntry(detail) }.traceHeader == nil)
    }

    @Test func aNewHeaderHasXRaysFormat() {
        let made = TraceHeader.make(at: Date(timeIntervalSince1970: 0x5759_e988))
        #expect(made.wholeMatch(of: /Root=1-5759e988-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0/) != nil, "\(made)")
        #expect(TraceHeader.root(of: made)?.hasPrefix("1-5759e988-") == true)
    }

    struct Named: Decodable, Sendable { var name: String }

    /// Sends one entry per event and keeps them.
    struct Sending: EventStage {
        static let eventName = "test event"
        let sent = Sent()

        func handle(_ event: Named, logger: Logger) async throws -> String {
            sent.append(try EventEntry(detailFor: event.name))
            return event.name
        }
    }

    final class Sent: Sendable {
        let entries = Recorder<EventEntry>()
        func append(_ entry: EventEntry) { entries.append(entry) }
    }

    @Test func eachMessageOfABatchCarriesItsOwnTraceOn() async throws {
        let stage = Sending()
        let queue = "arn:aws:sqs:us-east-1:123456789012:q"
        let records = [
            SQSEventRecord(
                messageID: "a", receiptHandle: "ha", body: #"{"name":"a"}"#,
                attributes: ["ApproximateReceiveCount": "1", "AWSTraceHeader": header], eventSourceARN: queue),
            SQSEventRecord(
                messageID: "b", receiptHandle: "hb", body: #"{"name":"b"}"#,
                attributes: ["ApproximateReceiveCount": "1"], eventSourceARN: queue),
        ]
        let invocationTrace = "Root=1-00000000-000000000000000000000001;Sampled=0"
        _ = try await TraceHeader.$current.withValue(invocationTrace) {
            try await EventRunner(stage: stage, settler: nil, metrics: .discarded).handle(
                try PipelineJSON.encoder.encode(SQSEvent(records: records)), logger: Logger(label: "test"))
        }
        let sent = stage.sent.entries.all
        #expect(sent.map(\.traceHeader) == [header, invocationTrace])
    }
}

/// The `PutEvents` request body's shape, as the client encodes it.
private struct PutEventsEntries: Encodable {
    var entries: [EventEntry]
    enum CodingKeys: String, CodingKey { case entries = "Entries" }
}

extension EventEntry {
    fileprivate init(detailFor name: String) throws {
        try self.init(ImageAnalyzed(itemID: UUID(), analysisID: UUID(), model: name, promptVersion: "v1"))
    }
}
