import Foundation
import Logging
import PipelineCore
import Synchronization
import Testing

/// The runner writes one EMF line per event: its outcome (handled, ignored, failed with its
/// error code), its duration, and what the stage recorded; a batch handled whole adds one line
/// for the batch.
@Suite struct EventRunnerMetricsTests {
    struct Named: Decodable, Sendable { var name: String }

    struct Stage: EventStage {
        static let eventName = "test event"

        func handle(_ event: Named, logger: Logger) async throws -> String {
            if event.name.hasPrefix("fail") { throw EventError(.invalidField, "told to fail") }
            EventMetrics.record(.inputTokens, 10, model: "m")
            try await Task.sleep(for: .milliseconds(20))
            return event.name
        }

        static func isIgnored(_ output: String) -> Bool { output.hasPrefix("ignore") }
    }

    struct Batched: WholeBatchStage {
        static let eventName = "test event"

        func handle(_ event: Named, logger: Logger) async throws -> String { event.name }

        func handle(batch events: [Named], logger: Logger) async -> [Result<String, any Error>] {
            EventMetrics.record(.batchSize, Double(events.count), model: "voyage-4")
            EventMetrics.record(.embeddingTokens, 300, model: "voyage-4")
            return events.map { .success($0.name) }
        }
    }

    final class Lines: Sendable {
        let lines = Mutex<[Data]>([])
        var log: MetricsLog { MetricsLog(function: "stack-fn") { line in self.lines.withLock { $0.append(line) } } }
        var points: [MetricDatapoint] {
            lines.withLock { $0 }.flatMap { MetricDatapoint.parse(line: $0.dropLast()) ?? [] }
        }
        func values(_ name: String, _ dimensions: [String: String] = ["Function": "stack-fn"]) -> [Double] {
            points.filter { $0.name == name && $0.dimensions == dimensions }.flatMap(\.values)
        }
    }

    let logger = Logger(label: "test")

    func batch(_ names: [String]) throws -> Data {
        try batch(bodies: names.map { #"{"name":"\#($0)"}"# })
    }

    func batch(bodies: [String]) throws -> Data {
        let records = bodies.enumerated().map { index, body in
            SQSEventRecord(
                messageID: "m\(index)", receiptHandle: "h\(index)", body: body,
                attributes: ["ApproximateReceiveCount": "1"], eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:q")
        }
        return try PipelineJSON.encoder.encode(SQSEvent(records: records))
    }

    @Test func eachEventOfABatchHasItsOutcomeDurationAndRecordedValues() async throws {
        let lines = Lines()
        let runner = EventRunner(stage: Stage(), settler: nil, metrics: lines.log)
        _ = try await runner.handle(try batch(["a", "ignore-b", "fail-c", "d"]), logger: logger)
        #expect(lines.values("Handled") == [1, 1])
        #expect(lines.values("Ignored") == [1])
        #expect(lines.values("Failed") == [1])
        #expect(lines.values("Failed", ["Function": "stack-fn", "ErrorCode": "EventError.invalidField"]) == [1])
        let durations = lines.values("Duration")
        #expect(durations.count == 4)
        #expect(durations.filter { $0 >= 20 }.count == 3, "\(durations)")
        #expect(lines.values("InputTokens", ["Function": "stack-fn", "Model": "m"]) == [10, 10, 10])
    }

    @Test func aMalformedBodyIsAFailureWithItsCode() async throws {
        let lines = Lines()
        let runner = EventRunner(stage: Stage(), settler: nil, metrics: lines.log)
        _ = try await runner.handle(try batch(bodies: ["[]"]), logger: logger)
        #expect(lines.values("Failed").count == 1)
        #expect(lines.points.contains { $0.dimensions["ErrorCode"]?.hasPrefix("EventError") == true })
    }

    @Test func aSingleEventIsMeasuredAndStillThrows() async throws {
        let lines = Lines()
        let runner = EventRunner(stage: Stage(), settler: nil, metrics: lines.log)
        _ = try await runner.handle(Data(#"{"name":"a"}"#.utf8), logger: logger)
        await #expect(throws: EventError.self) {
            try await runner.handle(Data(#"{"name":"fail"}"#.utf8), logger: logger)
        }
        #expect(lines.values("Handled") == [1] && lines.values("Failed") == [1])
    }

    @Test func aBatchHandledWholeAddsOneLineForTheBatch() async throws {
        let lines = Lines()
        let runner = EventRunner(stage: Batched(), settler: nil, metrics: lines.log)
        _ = try await runner.handle(try batch(["a", "b", "c"]), logger: logger)
        let model = ["Function": "stack-fn", "Model": "voyage-4"]
        #expect(lines.values("BatchSize", model) == [3] && lines.values("EmbeddingTokens", model) == [300])
        #expect(lines.values("Handled") == [1, 1, 1])
        #expect(Set(lines.values("Duration")).count == 1, "each event took the batch's time")
    }
}
