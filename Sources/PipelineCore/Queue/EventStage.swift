import Foundation
import Logging

/// A stage as a function runs it: the event it decodes (once), how it handles one, and how it
/// handles the events of an SQS batch.
public protocol EventStage: Sendable {
    /// The decoded event.
    associatedtype Event: Decodable & Sendable
    /// What handling one event returns.
    associatedtype Output: Encodable & Sendable

    /// Names the event in messages, such as `Analyzer event`.
    static var eventName: String { get }

    /// Handles one event.
    func handle(_ event: Event, logger: Logger) async throws -> Output

    /// Handles the events of a batch: one result per event, in order; one event's failure never
    /// fails another's.
    func handle(batch events: [Event], logger: Logger) async -> [Result<Output, any Error>]
}

extension EventStage {
    /// One event at a time. An event is not started once the invocation's deadline leaves less
    /// than ``BatchDeadline/minimumPerEvent``: it fails with ``NotAttempted`` and goes back to
    /// its queue at once.
    public func handle(batch events: [Event], logger: Logger) async -> [Result<Output, any Error>] {
        var results: [Result<Output, any Error>] = []
        for event in events {
            if let left = BatchDeadline.timeLeft(), left < BatchDeadline.minimumPerEvent {
                results.append(.failure(NotAttempted(timeLeft: left)))
                continue
            }
            do {
                results.append(.success(try await handle(event, logger: logger)))
            } catch {
                results.append(.failure(error))
            }
        }
        return results
    }
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
