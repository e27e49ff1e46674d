import Foundation
import Logging
import PipelineCore

/// Feeds one function from its SQS queue, as an event source would: each of the function's
/// hosts takes one message at a time; a success deletes it; a failure makes it visible again
/// after a backoff until it has been tried `maxAttempts` times, and then moves it to the
/// dead-letter queue with the error in its attributes (`ERROR_TYPE`, `ERROR_MESSAGE`,
/// `FUNCTION`, `ATTEMPTS`), which is what `collections local failures` lists. After each
/// invocation it logs an ``InvocationReport``.
///
/// The schedule follows Lambda's for asynchronous invocations, scaled down: with the template's
/// `MaximumRetryAttempts: 2`, Lambda retries about 1 minute and then 2 minutes after a failure;
/// here the waits are `backoff` and twice it (`collections local up --retry-delay-ms`, 1 s by
/// default; 60000 gives Lambda's timing). A call to an unreachable database waits up to its
/// connect timeout (5 s) before failing, so with the defaults an event that meets a PostgreSQL
/// outage at its first attempt still completes if the outage ends within about 18 s.
public struct QueueWorker: Sendable {
    /// Where messages come from and failures go.
    public struct Queues: Sendable {
        /// The function's queue.
        public var source: String
        /// Its dead-letter queue.
        public var deadLetter: String

        /// Creates the pair.
        public init(source: String, deadLetter: String) {
            self.source = source
            self.deadLetter = deadLetter
        }
    }

    let sqs: SQSClient
    let queues: Queues
    let hosts: [FunctionHost]
    let maxAttempts: Int
    let backoff: Duration
    let logger: Logger

    /// Creates a worker.
    /// - Parameters:
    ///   - maxAttempts: tries per message, the first included.
    ///   - backoff: the wait before the first retry; each retry doubles it.
    public init(
        sqs: SQSClient, queues: Queues, hosts: [FunctionHost], maxAttempts: Int, backoff: Duration = .seconds(1),
        logger: Logger
    ) {
        self.sqs = sqs
        self.queues = queues
        self.hosts = hosts
        self.maxAttempts = max(1, maxAttempts)
        self.backoff = backoff
        self.logger = logger
    }

    /// Runs until the task is cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            for host in hosts {
                group.addTask { await serve(host) }
            }
        }
    }

    private func serve(_ host: FunctionHost) async {
        let name = host.configuration.name
        let visibility = host.configuration.timeout + .seconds(30)
        while !Task.isCancelled {
            let messages: [SQSMessage]
            do {
                messages = try await sqs.receive(from: queues.source, maximum: 1, visibilityTimeout: visibility)
            } catch {
                if Task.isCancelled { return }
                logger.warning("cannot read the queue", metadata: ["function": "\(name)", "error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            for message in messages {
                // Not cancelled with the loop: a message taken is always settled.
                await Task { await handle(message, on: host) }.value
            }
            if await host.isStopping { return }
        }
    }

    /// Runs one message, logs its ``InvocationReport``, and settles it.
    func handle(_ message: SQSMessage, on host: FunctionHost) async {
        let name = host.configuration.name
        let received = Date()
        let outcome = await host.invoke(Data(message.body.utf8))
        let report = InvocationReport(
            function: name, process: host.configuration.logFile?.deletingPathExtension().lastPathComponent ?? name,
            message: message, received: received, ended: Date(), outcome: outcome)
        logger.info(InvocationReport.message, metadata: report.metadata)
        do {
            switch outcome {
            case .success:
                try await sqs.delete(from: queues.source, receiptHandle: message.receiptHandle)
            case .failure("Runtime.Stopped", _):
                // The stack is stopping: the event goes back to the queue for the next start.
                try await sqs.changeVisibility(of: message.receiptHandle, in: queues.source, to: .zero)
            case .failure(let type, let text) where message.receiveCount >= maxAttempts:
                logger.error(
                    "invocation failed for the last time; moved to the dead-letter queue",
                    metadata: ["function": "\(name)", "error_type": "\(type)", "error": "\(text)"])
                try await sqs.send(
                    to: queues.deadLetter, body: message.body,
                    attributes: [
                        "ERROR_TYPE": type, "ERROR_MESSAGE": String(text.prefix(4000)), "FUNCTION": name,
                        "ATTEMPTS": "\(message.receiveCount)",
                    ])
                try await sqs.delete(from: queues.source, receiptHandle: message.receiptHandle)
            case .failure(let type, let text):
                let wait = backoff * (1 << min(message.receiveCount - 1, 10))
                logger.warning(
                    "invocation failed; will retry",
                    metadata: [
                        "function": "\(name)", "error_type": "\(type)", "error": "\(text)",
                        "attempt": "\(message.receiveCount)", "retry_in_ms": "\(wait.milliseconds)",
                    ])
                try await sqs.changeVisibility(of: message.receiptHandle, in: queues.source, to: wait)
            }
        } catch {
            // The message stays invisible until its visibility timeout, then is delivered again.
            logger.error(
                "cannot settle a message", metadata: ["function": "\(name)", "error": "\(error)"])
        }
    }
}
