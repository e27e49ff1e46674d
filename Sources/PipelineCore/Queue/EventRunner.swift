import Foundation
import Logging

/// Runs a stage on an invocation: a single event is handled and its error thrown, as before; an
/// SQS batch has each body decoded once and handled by the stage, and answers the partial batch
/// response naming only the messages that failed and stay in their queue.
public struct EventRunner<Stage: EventStage>: Sendable {
    let stage: Stage
    let settler: MessageSettler?

    /// Creates a runner.
    /// - Parameter settler: settles failed messages of a batch (visibility, dead-letter); nil
    ///   leaves them to the queue's visibility timeout and redrive policy.
    public init(stage: Stage, settler: MessageSettler?) {
        self.stage = stage
        self.settler = settler
    }

    /// Handles one invocation's payload.
    /// - Throws: the single event's error; a batch throws only when its payload is not one.
    public func handle(_ payload: Data, logger: Logger) async throws -> InvocationOutput<Stage.Output> {
        switch try Invocation<Stage.Event>.decode(payload, what: Stage.eventName) {
        case .event(let event):
            return .event(try await stage.handle(event, logger: logger))
        case .batch(let records):
            return .batch(await handle(records, logger: logger))
        }
    }

    private func handle(_ records: [SQSEventRecord], logger: Logger) async -> BatchResponse {
        var results = [Result<Stage.Output, any Error>?](repeating: nil, count: records.count)
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
        for (position, result) in zip(positions, await stage.handle(batch: events, logger: logger)) {
            results[position] = result
        }
        var failed: [String] = []
        for (record, result) in zip(records, results) {
            var logger = logger
            logger[metadataKey: "message_id"] = "\(record.messageID)"
            let outcome = result ?? .failure(NotAttempted(timeLeft: BatchDeadline.timeLeft() ?? .zero))
            guard case .failure(let error) = outcome else { continue }
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
}
