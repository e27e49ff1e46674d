import Foundation
import Logging
import PipelineCore
import StandIns
import TestSupport
import Testing

/// A 429 whose `retry-after` is longer than the invocation has left sends the event back to its
/// queue for that long: not slept out, not dead-lettered, not recorded on the item; and the
/// function settles its other failures itself (dead-letter with the error, re-send when throttled
/// at the last receive).
@Suite(.enabled(if: MotoServer.enabled, "needs moto (scripts/test)"))
struct ThrottledAnalyzerTests {
    let logger = Logger(label: "test")

    /// A queue with a 2 s visibility timeout and its dead-letter queue, with `bodies` sent and received.
    func queue(_ sqs: SQSClient, bodies: [String]) async throws -> (String, String, [SQSEventRecord]) {
        let deadLetter = try await sqs.createQueue(MotoServer.uniqueName("analyzer-dlq"))
        let source = try await sqs.createQueue(
            MotoServer.uniqueName("analyzer"), attributes: ["VisibilityTimeout": "2"])
        let arn = try #require(try await sqs.attributes(of: source, names: ["QueueArn"])["QueueArn"])
        for body in bodies { try await sqs.send(to: source, body: body) }
        var messages: [SQSMessage] = []
        while messages.count < bodies.count {
            let more = try await sqs.receive(from: source, maximum: 10, wait: .seconds(1))
            try #require(!more.isEmpty, "moto returned \(messages.count) of \(bodies.count) messages")
            messages += more
        }
        let records = messages.map {
            SQSEventRecord(
                messageID: $0.messageID, receiptHandle: $0.receiptHandle, body: $0.body, attributes: $0.attributes,
                eventSourceARN: arn)
        }
        return (source, deadLetter, records)
    }

    static func counts(_ sqs: SQSClient, _ queue: String) async throws -> [String: String] {
        try await sqs.attributes(
            of: queue,
            names: [
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed",
            ])
    }

    @Test func aThrottledImageWaitsInItsQueueForTheRetryAfter() async throws {
        let moto = try MotoServer.requireVerifying()
        let sqs = SQSClient(client: moto.client(), endpoint: moto.endpoint)
        let storage = InMemoryObjectStore()
        let bus = InMemoryEventBus()
        let store = InMemoryStore()
        let red = try TestEnvironment.data("fixtures/images/red.jpg")
        var bodies: [String] = []
        for name in ["a", "b"] {
            try await storage.put(bucket: "b", key: "u/\(name).jpg", data: red, contentType: "image/jpeg")
            let etag = try await storage.head(bucket: "b", key: "u/\(name).jpg").etag
            try await storage.put(
                bucket: "b", key: "renditions/u/\(name).jpg.jpg", data: red, contentType: "image/jpeg")
            let processed = ImageProcessed(
                itemID: ItemID.of(bucket: "b", key: "u/\(name).jpg"), userID: "u", bucket: "b",
                originalKey: "u/\(name).jpg", thumbnailKey: "thumbnails/u/\(name).jpg.jpg", contentType: "image/jpeg",
                width: 800, height: 600, bytes: red.count, etag: etag)
            bodies.append(String(decoding: try EventEntry(processed).delivered(id: name, time: Date()), as: UTF8.self))
        }
        let (source, deadLetter, records) = try await queue(sqs, bodies: bodies)
        var policy = QueuePolicy()
        policy.deadLetterQueueURL = deadLetter
        let settler = MessageSettler(sqs: sqs, policy: policy, function: "analyzer")
        // One request a minute: the second image's 429 asks for about a minute, which the
        // 10-second invocation does not have.
        try await withStandIns(rateLimits: try RateLimits(parsing: "claude=1/min")) { url in
            var configuration = ClaudeConfiguration(apiKey: "sk-local")
            configuration.baseURL = url
            let stage = AnalysisStage(
                configuration: .init(), storage: storage, bus: bus,
                model: ClaudeAnalysisModel(configuration: configuration), store: store)
            let payload = try PipelineJSON.encoder.encode(SQSEvent(records: records))
            let started = ContinuousClock.now
            let output = try await InvocationDeadline.$current.withValue(Date().addingTimeInterval(10)) {
                try await EventRunner(stage: stage, settler: settler, metrics: .discarded).handle(
                    payload, logger: logger)
            }
            #expect(ContinuousClock.now - started < .seconds(8), "the retry-after was not slept out")
            let response = try JSONDecoder().decode(BatchResponse.self, from: PipelineJSON.encoder.encode(output))
            #expect(response.batchItemFailures.count == 1, "\(response)")
        }
        #expect(store.contents.analyses.count == 1)
        #expect(store.contents.failures.isEmpty, "a throttle is never the image's fault")
        // The queue's own 2 s have passed: the analysed one (which the mapping would have deleted)
        // is back, the throttled one waits its minute.
        try await Task.sleep(for: .seconds(3))
        let back = try await sqs.receive(from: source, maximum: 10, wait: .seconds(1))
        #expect(back.count == 1 && back.first?.body != nil, "\(back.map(\.body))")
        #expect(try await Self.counts(sqs, source)["ApproximateNumberOfMessagesNotVisible"] == "2")
        #expect(try await sqs.receive(from: deadLetter, wait: .zero).isEmpty)
    }

    @Test func theLastReceiveDeadLettersWithTheErrorOrSendsAThrottledEventAgain() async throws {
        let moto = try MotoServer.requireVerifying()
        let sqs = SQSClient(client: moto.client(), endpoint: moto.endpoint)
        let (source, deadLetter, records) = try await queue(sqs, bodies: [#"{"n":1}"#, #"{"n":2}"#])
        var policy = QueuePolicy()
        policy.deadLetterQueueURL = deadLetter
        policy.maxReceiveCount = 1
        let settler = MessageSettler(sqs: sqs, policy: policy, function: "analyzer")
        struct Busy: ClassifiedError {
            var failureKind: FailureKind { .transient }
            var retryAfter: Duration? { .seconds(30) }
        }
        #expect(await settler.settle(records[0], error: DatabaseError(.unavailable, "down"), logger: logger) == false)
        #expect(await settler.settle(records[1], error: Busy(), logger: logger) == false)
        let dead = try await sqs.receive(from: deadLetter, wait: .seconds(1))
        #expect(dead.map(\.body) == [records[0].body])
        #expect(dead.first?.messageAttributes["ERROR_TYPE"] == "DatabaseError")
        #expect(dead.first?.messageAttributes["FUNCTION"] == "analyzer")
        #expect(dead.first?.messageAttributes["SOURCE_QUEUE"] == records[0].eventSourceARN)
        let counts = try await Self.counts(sqs, source)
        #expect(counts["ApproximateNumberOfMessagesDelayed"] == "1", "the throttled one, sent again: \(counts)")
    }
}
