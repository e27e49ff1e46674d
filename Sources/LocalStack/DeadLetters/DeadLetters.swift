import Foundation
import PipelineCore

/// The events that failed every attempt, in the functions' dead-letter queues: listing them
/// with their errors and sending them back to their functions. One code path for the local
/// stack (`collections local failures | redrive`, queues from `stack.json`) and a deployed one
/// (`collections failures | redrive --stack`, queues from the CloudFormation stack's outputs).
public struct DeadLetters: Sendable {
    /// One function and its two queues.
    public struct Function: Sendable, Equatable {
        /// The function name, such as `collections-analyzer`.
        public var name: String
        /// The executable, such as `Analyzer`.
        public var executable: String
        /// The queue the function consumes, where a redriven event goes.
        public var queueURL: String
        /// Where its failed events wait.
        public var deadLetterURL: String

        /// Creates the entry.
        public init(name: String, executable: String, queueURL: String, deadLetterURL: String) {
            self.name = name
            self.executable = executable
            self.queueURL = queueURL
            self.deadLetterURL = deadLetterURL
        }

        /// Whether `filter` names this function: its name or its executable.
        public func isNamed(_ filter: String) -> Bool { filter == name || filter == executable }
    }

    /// How many events went back to one function.
    public struct Moved: Sendable, Equatable {
        /// The function.
        public var function: Function
        /// Events sent back to its queue and deleted from its dead-letter queue.
        public var count: Int
    }

    let sqs: SQSClient
    /// The functions, in the order they are listed.
    public let functions: [Function]

    /// How long a listed message stays hidden at most (it is made visible again at once after).
    static let listingVisibility = Duration.seconds(60)
    /// How long a message being redriven stays hidden: long enough for all the sends.
    static let redriveVisibility = Duration.seconds(300)

    /// Creates the view of a set of functions' queues.
    public init(sqs: SQSClient, functions: [Function]) {
        self.sqs = sqs
        self.functions = functions
    }

    /// The functions `filter` names (its name or executable); every function for nil.
    /// - Throws: ``LocalStackError`` naming the functions there are when it names none.
    public func select(_ filter: String?) throws -> [Function] {
        guard let filter else { return functions }
        let selected = functions.filter { $0.isNamed(filter) }
        guard !selected.isEmpty else {
            throw LocalStackError(
                "no function \(filter); there are \(functions.map(\.executable).joined(separator: ", "))")
        }
        return selected
    }

    /// Every failed event, oldest first. Listing consumes nothing: each message is made visible
    /// again as soon as it has been read.
    /// - Parameter filter: only this function's (its name or executable); nil for all.
    public func list(function filter: String? = nil) async throws -> [Failure] {
        var failures: [Failure] = []
        for function in try select(filter) {
            let messages = try await drain(function.deadLetterURL, visibility: Self.listingVisibility)
            await release(messages[...], in: function.deadLetterURL)
            // Read once per function, and only for a message the queue moved.
            var policy: SourceQueuePolicy?
            var policyRead = false
            for message in messages {
                if message.messageAttributes["ERROR_TYPE"] == nil, !policyRead {
                    policy = await SourceQueuePolicy.read(function.queueURL, sqs: sqs)
                    policyRead = true
                }
                failures.append(Failure(message, function: function.name, source: policy))
            }
        }
        return failures.sorted { $0.failedAt < $1.failedAt }
    }

    /// Sends failed events back to their functions' queues for a fresh set of attempts: each is
    /// received from the dead-letter queue, sent (its body alone, without the error attributes) to
    /// the function's queue, and deleted from the dead-letter queue only once the send succeeded.
    /// An interruption loses nothing: what was not sent stays in (or goes back to) the dead-letter
    /// queue; an event sent but not deleted is sent again by the next redrive, which the stages
    /// take as the replay they already handle.
    /// - Parameters:
    ///   - filter: only this function's failures (its name or executable); nil for all.
    ///   - limit: at most this many events in all; nil for every one.
    /// - Returns: how many went back, per selected function.
    /// - Throws: ``RedriveInterrupted`` with the counts so far when a call fails.
    @discardableResult
    public func redrive(function filter: String? = nil, limit: Int? = nil) async throws -> [Moved] {
        var moved = try select(filter).map { Moved(function: $0, count: 0) }
        var remaining = limit ?? Int.max
        for index in moved.indices where remaining > 0 {
            let function = moved[index].function
            let messages: [SQSMessage]
            do {
                messages = try await drain(
                    function.deadLetterURL, visibility: Self.redriveVisibility, maximum: remaining)
            } catch {
                throw RedriveInterrupted(moved: moved, cause: error)
            }
            for (position, message) in messages.enumerated() {
                do {
                    try await sqs.send(to: function.queueURL, body: message.body)
                } catch {
                    // Not sent: this one and the rest are visible again for the next redrive.
                    await release(messages[position...], in: function.deadLetterURL)
                    throw RedriveInterrupted(moved: moved, cause: error)
                }
                do {
                    try await sqs.delete(from: function.deadLetterURL, receiptHandle: message.receiptHandle)
                } catch {
                    moved[index].count += 1
                    await release(messages[(position + 1)...], in: function.deadLetterURL)
                    throw RedriveInterrupted(moved: moved, cause: error, sentNotDeleted: message.messageID)
                }
                moved[index].count += 1
                remaining -= 1
            }
        }
        return moved
    }

    /// Makes received messages visible again at once (best effort: else they return after their
    /// visibility timeout).
    private func release(_ messages: ArraySlice<SQSMessage>, in queueURL: String) async {
        for message in messages {
            try? await sqs.changeVisibility(of: message.receiptHandle, in: queueURL, to: .zero)
        }
    }

    /// Receives what is visible in a queue (at most `maximum`), keeping it hidden for `visibility`.
    private func drain(_ queueURL: String, visibility: Duration, maximum: Int = .max) async throws -> [SQSMessage] {
        var messages: [SQSMessage] = []
        while messages.count < maximum {
            let batch = try await sqs.receive(
                from: queueURL, maximum: min(10, maximum - messages.count), wait: .zero, visibilityTimeout: visibility)
            if batch.isEmpty { break }
            messages += batch
        }
        return messages
    }
}

/// A redrive stopped by a failed call, with what it had moved by then.
public struct RedriveInterrupted: Error, CustomStringConvertible {
    /// The counts so far.
    public var moved: [DeadLetters.Moved]
    /// The failure.
    public var cause: any Error
    /// The message sent back whose deletion from the dead-letter queue failed, if that was it.
    public var sentNotDeleted: String?

    public var description: String {
        let sent = moved.map(\.count).reduce(0, +)
        var text = "redrive stopped after sending \(sent) event(s) back: \(cause)"
        if let sentNotDeleted {
            text +=
                "; message \(sentNotDeleted) was sent back but is still in the dead-letter queue, so the next redrive"
                + " sends it again"
        }
        return text + ". The events not sent are still in their dead-letter queues: run redrive again."
    }
}
