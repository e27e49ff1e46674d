import Foundation
import Logging
import PipelineCore

/// One invocation as the local stack's event source saw it. The runner logs one after every
/// invocation (`"message":"invocation report"` in `runner.log`, at level info), as Lambda writes
/// a `REPORT` line: which process of which function ran which event, how long the event had
/// waited in its queue, and how long the invocation took. `scripts/bench` reads them to show
/// where an upload's time goes.
public struct InvocationReport: Sendable, Equatable {
    /// The log message that marks a report.
    public static let message: Logger.Message = "invocation report"

    /// The function's name.
    public var function: String
    /// The process that ran it, named as its log file is (`ImageProcessor-1`).
    public var process: String
    /// What the event was about.
    public var event: EventSummary
    /// The attempt, the first being 1.
    public var attempt: Int
    /// `success`, or the error type the invocation failed with.
    public var outcome: String
    /// When the message entered its queue (SQS's `SentTimestamp`, milliseconds); nil if unknown.
    public var sent: Date?
    /// When the worker received the message and handed it to the function.
    public var received: Date
    /// When the invocation's outcome came back.
    public var ended: Date

    /// Creates a report for one message and its outcome.
    public init(
        function: String, process: String, message: SQSMessage, received: Date, ended: Date,
        outcome: InvocationOutcome
    ) {
        self.function = function
        self.process = process
        self.event = EventSummary(body: message.body)
        self.attempt = message.receiveCount
        switch outcome {
        case .success: self.outcome = "success"
        case .failure(let type, _): self.outcome = type
        }
        self.sent = Double(message.attributes["SentTimestamp"] ?? "").map { Date(timeIntervalSince1970: $0 / 1000) }
        self.received = received
        self.ended = ended
    }

    /// How long the invocation took, from the hand-over to its outcome (Lambda's `Duration`
    /// plus the Runtime API's hand-over), milliseconds.
    public var durationMilliseconds: Double { ended.timeIntervalSince(received) * 1000 }

    /// How long the message waited in its queue before this attempt (for a retry, its backoff
    /// included), milliseconds; nil if the send time is unknown.
    public var queuedMilliseconds: Double? { sent.map { received.timeIntervalSince($0) * 1000 } }

    /// The report as log metadata: times as seconds since 1970 and durations in milliseconds,
    /// each to the microsecond.
    public var metadata: Logger.Metadata {
        var fields: Logger.Metadata = [
            "function": "\(function)", "process": "\(process)", "detail_type": "\(event.detailType)",
            "subject": "\(event.subject)", "attempt": "\(attempt)", "outcome": "\(outcome)",
            "received_at": "\(Self.seconds(received))", "ended_at": "\(Self.seconds(ended))",
            "duration_ms": "\(Self.fixed(durationMilliseconds))",
        ]
        if let sent { fields["sent_at"] = "\(Self.seconds(sent))" }
        if let queued = queuedMilliseconds { fields["queued_ms"] = "\(Self.fixed(queued))" }
        return fields
    }

    private static func seconds(_ date: Date) -> String { String(format: "%.6f", date.timeIntervalSince1970) }
    private static func fixed(_ milliseconds: Double) -> String { String(format: "%.3f", milliseconds) }
}
