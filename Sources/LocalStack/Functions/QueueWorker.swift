import Foundation
import Logging
import PipelineCore

/// Feeds one function from its SQS queue as its `AWS::Lambda::EventSourceMapping` does on AWS: a
/// poller takes a batch of up to `BatchSize` messages (gathering for up to the batching window)
/// whenever one of the function's processes (the mapping's `MaximumConcurrency`) is idle, invokes
/// it with the SQS event, and deletes every message its partial batch response does not name.
///
/// Everything else is the queue's and the function's, as deployed: the function delays a failed
/// message (its visibility), dead-letters one with its error, or sends a throttled one again; an
/// invocation that fails as a whole (an error, a timeout, a crash) deletes nothing, so its messages
/// come back after the queue's visibility timeout; and the queue's redrive policy moves a message
/// received `maxReceiveCount` times to the dead-letter queue. After each invocation it logs an
/// ``InvocationReport`` per message.
public struct QueueWorker: Sendable {
    /// Where messages come from, and how many at a time.
    public struct Source: Sendable {
        /// The function's queue.
        public var queueURL: String
        /// Messages per invocation, at most.
        public var batchSize: Int
        /// How long to gather a batch before invoking with what came.
        public var batchingWindow: Duration
        /// Whether the function answers partial batch responses; without them a failed invocation
        /// keeps its whole batch and a successful one deletes it.
        public var reportsBatchItemFailures: Bool

        /// Describes a source.
        public init(queueURL: String, batchSize: Int, batchingWindow: Duration, reportsBatchItemFailures: Bool = true) {
            self.queueURL = queueURL
            self.batchSize = max(1, batchSize)
            self.batchingWindow = batchingWindow
            self.reportsBatchItemFailures = reportsBatchItemFailures
        }
    }

    let sqs: SQSClient
    let source: Source
    let hosts: [FunctionHost]
    let logger: Logger

    /// Creates a worker.
    public init(sqs: SQSClient, source: Source, hosts: [FunctionHost], logger: Logger) {
        self.sqs = sqs
        self.source = source
        self.hosts = hosts
        self.logger = logger
    }

    /// Runs until the task is cancelled: one poller, as a mapping's, takes a batch whenever one of
    /// the function's processes is idle and hands it over, so at most one long poll per function
    /// is open however many processes it has.
    public func run() async {
        let name = hosts.first?.configuration.name ?? "function"
        await withTaskGroup(of: FunctionHost.self) { group in
            var idle = hosts
            var queueARN: String?
            while !Task.isCancelled {
                guard let host = idle.popLast() else {
                    guard let freed = await group.next() else { break }
                    if await freed.isStopping { break }
                    idle.append(freed)
                    continue
                }
                let messages: [SQSMessage]
                do {
                    if queueARN == nil {
                        queueARN = try await sqs.attributes(of: source.queueURL, names: ["QueueArn"])["QueueArn"]
                    }
                    messages = try await batch()
                } catch {
                    idle.append(host)
                    if Task.isCancelled { break }
                    logger.warning("cannot read the queue", metadata: ["function": "\(name)", "error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                    continue
                }
                guard !messages.isEmpty else {
                    idle.append(host)
                    continue
                }
                let arn = queueARN ?? ""
                group.addTask {
                    // Not cancelled with the loop: a batch taken is always settled.
                    await Task { await handle(messages, queueARN: arn, on: host) }.value
                    return host
                }
            }
            await group.waitForAll()
        }
    }

    /// Up to `batchSize` messages: a long poll for the first, then more until the batch is full
    /// or the window has passed.
    private func batch() async throws -> [SQSMessage] {
        var messages = try await sqs.receive(from: source.queueURL, maximum: min(source.batchSize, 10))
        let deadline = ContinuousClock.now + source.batchingWindow
        while !messages.isEmpty, messages.count < source.batchSize, !Task.isCancelled {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { break }
            let more = try await sqs.receive(
                from: source.queueURL, maximum: min(source.batchSize - messages.count, 10),
                wait: .seconds(Int(left.milliseconds / 1000)))
            if more.isEmpty, left < .seconds(1) { break }
            messages += more
        }
        return messages
    }

    /// Invokes the function with one batch, logs a report per message, and deletes the messages
    /// that succeeded.
    func handle(_ messages: [SQSMessage], queueARN: String, on host: FunctionHost) async {
        let name = host.configuration.name
        let records = messages.map {
            SQSEventRecord(
                messageID: $0.messageID, receiptHandle: $0.receiptHandle, body: $0.body, attributes: $0.attributes,
                eventSourceARN: queueARN)
        }
        let received = Date()
        let event = (try? PipelineJSON.encoder.encode(SQSEvent(records: records))) ?? Data()
        // Lambda links an SQS batch's invocation to its messages' traces; the first one's carries on.
        let outcome = await host.invoke(
            event, traceID: records.lazy.compactMap { $0.attributes["AWSTraceHeader"] }.first)
        let ended = Date()
        let failed: Set<String>
        switch outcome {
        case .success(let body):
            let response =
                source.reportsBatchItemFailures ? try? JSONDecoder().decode(BatchResponse.self, from: body) : nil
            failed = Set(response?.batchItemFailures.map(\.itemIdentifier) ?? [])
        case .failure:
            failed = Set(messages.map(\.messageID))
        }
        let process = host.configuration.logFile?.deletingPathExtension().lastPathComponent ?? name
        for message in messages {
            let own: InvocationOutcome =
                switch outcome {
                case .failure: outcome
                case .success where failed.contains(message.messageID):
                    .failure(type: "BatchItemFailure", message: "listed in batchItemFailures")
                case .success: outcome
                }
            let report = InvocationReport(
                function: name, process: process, message: message, received: received, ended: ended, outcome: own)
            logger.info(InvocationReport.message, metadata: report.metadata)
        }
        if case .failure(let type, let text) = outcome {
            logger.warning(
                "invocation failed; its messages come back after the queue's visibility timeout",
                metadata: [
                    "function": "\(name)", "error_type": "\(type)", "error": "\(text)", "messages": "\(messages.count)",
                ])
            if type == "Runtime.Stopped" {
                // The stack is stopping: the batch goes back to the queue for the next start.
                for message in messages {
                    try? await sqs.changeVisibility(of: message.receiptHandle, in: source.queueURL, to: .zero)
                }
            }
            return
        }
        // As a mapping does: the successes in batches of ten (DeleteMessageBatch).
        let handles = messages.filter { !failed.contains($0.messageID) }.map(\.receiptHandle)
        do {
            let undeleted = try await sqs.delete(from: source.queueURL, receiptHandles: handles)
            if !undeleted.isEmpty {
                logger.error(
                    "cannot delete messages", metadata: ["function": "\(name)", "errors": "\(undeleted.values)"])
            }
        } catch {
            // They come back after their visibility timeout and are handled again (idempotently).
            logger.error("cannot delete messages", metadata: ["function": "\(name)", "error": "\(error)"])
        }
    }
}
