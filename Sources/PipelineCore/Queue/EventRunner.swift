import Foundation
import Logging

/// Runs a stage on an invocation: a single event is handled and its error thrown, as before; an
/// SQS batch has each body decoded once and handled by the stage, and answers the partial batch
/// response naming only the messages that failed and stay in their queue. Each event's outcome
/// and duration, and what the stage recorded for it, go to the metrics log.
public struct EventRunner<Stage: EventStage>: Sendable {
    typealias BatchHandler = @Sendable ([Stage.Event], Logger) async -> [Result<Stage.Output, any Error>]

    let stage: Stage
    let settler: MessageSettler?
    let metrics: MetricsLog
    let wholeBatch: BatchHandler?

    /// Creates a runner that handles the events of a batch one after another.
    /// - Parameters:
    ///   - settler: settles failed messages of a batch (visibility, dead-letter); nil leaves them
    ///     to the queue's visibility timeout and redrive policy.
    ///   - metrics: where each event's metrics are written.
    public init(stage: Stage, settler: MessageSettler?, metrics: MetricsLog) {
        self.init(stage: stage, settler: settler, metrics: metrics, wholeBatch: nil)
    }

    init(stage: Stage, settler: MessageSettler?, metrics: MetricsLog, wholeBatch: BatchHandler?) {
        self.stage = stage
        self.settler = settler
        self.metrics = metrics
        self.wholeBatch = wholeBatch
    }

    /// Handles one invocation's payload.
    /// - Throws: the single event's error; a batch throws only when its payload is not one.
    public func handle(_ payload: Data, logger: Logger) async throws -> InvocationOutput<Stage.Output> {
        switch try Invocation<Stage.Event>.decode(payload, what: Stage.eventName) {
        case .event(let event):
            let (result, recorded, duration) = await measure {
                await catching { try await stage.handle(event, logger: logger) }
            }
            metrics.outcome(
                outcome(result), duration: duration, recorded: recorded,
                properties: Self.properties(messageID: nil, trace: TraceHeader.current))
            return .event(try result.get())
        case .batch(let records):
            return .batch(await handle(records, logger: logger))
        }
    }

    private func handle(_ records: [SQSEventRecord], logger: Logger) async -> BatchResponse {
        var results = [Result<Stage.Output, any Error>?](repeating: nil, count: records.count)
        var durations = [Duration](repeating: .zero, count: records.count)
        var recorded = [EventMetrics?](repeating: nil, count: records.count)
        var events: [Stage.Event] = []
        var positions: [Int] = []
        for (index, record) in records.enumerated() {
            do {
                let body = Data(record.body.utf8)
                try EventSizeLimit.check(size: body.count)
                events.append(try EventDecoding.decode(Stage.Event.self, from: body, what: Stage.eventName))
                positions.append(index)
            } catch {
                results[index] = .failure(error)
            }
        }
        if let wholeBatch {
            let (outcomes, batchMetrics, duration) = await measure { await wholeBatch(events, logger) }
            metrics.batch(batchMetrics)
            for (position, result) in zip(positions, outcomes) {
                (results[position], durations[position]) = (result, duration)
            }
        } else {
            for (position, event) in zip(positions, events) {
                if let left = BatchDeadline.timeLeft(), left < BatchDeadline.minimumPerEvent {
                    results[position] = .failure(NotAttempted(timeLeft: left))
                    continue
                }
                let record = records[position]
                var logger = logger
                logger[metadataKey: "message_id"] = "\(record.messageID)"
                let trace = record.attributes["AWSTraceHeader"] ?? TraceHeader.current
                let (result, eventMetrics, duration) = await measure {
                    await TraceHeader.$current.withValue(trace) {
                        await catching { try await stage.handle(event, logger: logger) }
                    }
                }
                (results[position], recorded[position], durations[position]) = (result, eventMetrics, duration)
            }
        }
        var failed: [String] = []
        for (index, record) in records.enumerated() {
            var logger = logger
            logger[metadataKey: "message_id"] = "\(record.messageID)"
            let result = results[index] ?? .failure(NotAttempted(timeLeft: BatchDeadline.timeLeft() ?? .zero))
            metrics.outcome(
                outcome(result), duration: durations[index], recorded: recorded[index],
                properties: Self.properties(
                    messageID: record.messageID, trace: record.attributes["AWSTraceHeader"] ?? TraceHeader.current))
            guard case .failure(let error) = result else { continue }
            logger.error(
                "message failed",
                metadata: [
                    "error_type": "\(LambdaErrorBody(error).errorType)", "error": "\(error)",
                    "receive_count": "\(record.receiveCount)",
                ])
            let stays = await settler?.settle(record, error: error, logger: logger) ?? true
            if stays { failed.append(record.messageID) }
        }
        logger.info(
            "batch handled",
            metadata: ["messages": "\(records.count)", "failed": "\(failed.count)"])
        return BatchResponse(failedMessageIDs: failed)
    }

    /// What a metrics line says besides its metrics: the message and the trace it belongs to.
    private static func properties(messageID: String?, trace: String?) -> [String: String] {
        var properties: [String: String] = [:]
        properties["message_id"] = messageID
        properties["trace_id"] = trace.flatMap(TraceHeader.root(of:))
        return properties
    }

    private func outcome(_ result: Result<Stage.Output, any Error>) -> EventOutcome {
        switch result {
        case .success(let output): Stage.isIgnored(output) ? .ignored : .handled
        case .failure(let error): .failed(LambdaErrorBody(error).errorType)
        }
    }

    /// Runs `work` with a fresh ``EventMetrics`` bag as the current one, and times it.
    private func measure<T>(_ work: () async -> T) async -> (T, EventMetrics, Duration) {
        let bag = EventMetrics()
        let clock = ContinuousClock()
        let start = clock.now
        let value = await EventMetrics.$current.withValue(bag) { await work() }
        return (value, bag, clock.now - start)
    }

    private func catching<T>(_ work: () async throws -> T) async -> Result<T, any Error> {
        do {
            return .success(try await work())
        } catch {
            return .failure(error)
        }
    }
}

extension EventRunner where Stage: WholeBatchStage {
    /// Creates a runner that hands the events of a batch to the stage together.
    public init(stage: Stage, settler: MessageSettler?, metrics: MetricsLog) {
        self.init(
            stage: stage, settler: settler, metrics: metrics,
            wholeBatch: { events, logger in await stage.handle(batch: events, logger: logger) })
    }
}
