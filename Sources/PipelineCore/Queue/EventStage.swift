import Foundation
import Logging

/// A stage as a function runs it: the event it decodes (once) and how it handles one. The
/// events of an SQS batch are handled one after another by ``EventRunner``, unless the stage is
/// a ``WholeBatchStage``.
public protocol EventStage: Sendable {
    /// The decoded event.
    associatedtype Event: Decodable & Sendable
    /// What handling one event returns.
    associatedtype Output: Encodable & Sendable

    /// Names the event in messages, such as `Analyzer event`.
    static var eventName: String { get }

    /// Handles one event.
    func handle(_ event: Event, logger: Logger) async throws -> Output

    /// Whether an output says the event was ignored (its object version replaced or deleted),
    /// for the metrics; by default never.
    static func isIgnored(_ output: Output) -> Bool
}

extension EventStage {
    public static func isIgnored(_ output: Output) -> Bool { false }
}

/// A stage that handles the events of a batch together (one model request, one transaction).
public protocol WholeBatchStage: EventStage {
    /// Handles the events of a batch: one result per event, in order; one event's failure never
    /// fails another's.
    func handle(batch events: [Event], logger: Logger) async -> [Result<Output, any Error>]
}

/// How much of the invocation a batch may still use.
public enum BatchDeadline {
    /// The least time left for an event of a batch to be started: it must have the time to
    /// finish and report.
    public static let minimumPerEvent: Duration = .seconds(5)

    /// The usable time left in the current invocation, or nil outside one.
    public static func timeLeft() -> Duration? {
        InvocationDeadline.current.map { InvocationDeadline.usableTime(until: $0) }
    }
}

/// An event of a batch that was not started because the invocation's deadline was too close.
public struct NotAttempted: Error, CustomStringConvertible {
    /// The usable time that was left.
    public let timeLeft: Duration

    /// Creates the error.
    public init(timeLeft: Duration) {
        self.timeLeft = timeLeft
    }

    public var description: String {
        "not attempted: only \(timeLeft.milliseconds) ms of the invocation were left; it goes back to its queue"
    }
}
