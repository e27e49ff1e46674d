import Foundation
import Synchronization

/// An event bus as the stages need it: EventBridge `PutEvents` in production.
public protocol EventBus: Sendable {
    /// Sends entries; returns only when every entry was accepted.
    /// - Throws: the bus's error naming the entries it refused.
    func put(_ entries: [EventEntry]) async throws
}

/// An ``EventBus`` that keeps what it is sent, for tests and in-process runs.
public final class InMemoryEventBus: EventBus {
    private let sent = Mutex([EventEntry]())

    /// Creates an empty bus.
    public init() {}

    public func put(_ entries: [EventEntry]) async throws {
        sent.withLock { $0.append(contentsOf: entries) }
    }

    /// Every entry sent so far.
    public var entries: [EventEntry] { sent.withLock { $0 } }

    /// Removes and returns every entry sent so far.
    public func drain() -> [EventEntry] {
        sent.withLock { entries in
            defer { entries.removeAll() }
            return entries
        }
    }
}
