import Foundation
import PipelineCore
import Synchronization

/// When each call an invocation made started and ended, to split its time into phases.
final class InvocationPhases: Sendable {
    enum Phase: String, Sendable {
        case get, render, put, events
    }

    private struct Call {
        var phase: Phase
        var start: ContinuousClock.Instant
        var end: ContinuousClock.Instant
    }

    private let calls = Mutex([Call]())

    /// Forgets the previous invocation's calls.
    func reset() {
        calls.withLock { $0.removeAll() }
    }

    /// Runs one call of `phase`, recording when it started and ended.
    func recordAsync<T>(_ phase: Phase, _ body: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        defer {
            let end = ContinuousClock.now
            calls.withLock { $0.append(Call(phase: phase, start: start, end: end)) }
        }
        return try await body()
    }

    /// Runs one synchronous call of `phase`, recording when it started and ended.
    func record<T>(_ phase: Phase, _ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        defer {
            let end = ContinuousClock.now
            calls.withLock { $0.append(Call(phase: phase, start: start, end: end)) }
        }
        return try body()
    }

    /// Milliseconds per phase: from its first call's start to its last call's end, so that calls
    /// that overlap (the two puts, if concurrent) count once; and how many calls there were.
    struct Breakdown: Encodable {
        var getMs = 0.0
        var renderMs = 0.0
        var putMs = 0.0
        var eventsMs = 0.0
        var puts = 0
    }

    func breakdown() -> Breakdown {
        let recorded = calls.withLock { $0 }
        func span(_ phase: Phase) -> Double {
            let matching = recorded.filter { $0.phase == phase }
            guard let start = matching.map(\.start).min(), let end = matching.map(\.end).max() else { return 0 }
            return ImagingBench.milliseconds(end - start)
        }
        return Breakdown(
            getMs: span(.get), renderMs: span(.render), putMs: span(.put), eventsMs: span(.events),
            puts: recorded.filter { $0.phase == .put }.count)
    }
}

/// An ``ObjectStore`` that times its calls.
struct TimedObjectStore: ObjectStore {
    let inner: any ObjectStore
    let phases: InvocationPhases

    func get(bucket: String, key: String, maxBytes: Int, ifMatch: String?) async throws -> StoredObject {
        try await phases.recordAsync(.get) {
            try await inner.get(bucket: bucket, key: key, maxBytes: maxBytes, ifMatch: ifMatch)
        }
    }

    func put(bucket: String, key: String, data: Data, contentType: String) async throws {
        try await phases.recordAsync(.put) {
            try await inner.put(bucket: bucket, key: key, data: data, contentType: contentType)
        }
    }

    func head(bucket: String, key: String) async throws -> ObjectHead {
        try await inner.head(bucket: bucket, key: key)
    }
}

/// An ``EventBus`` that times its calls.
struct TimedEventBus: EventBus {
    let inner: any EventBus
    let phases: InvocationPhases

    func put(_ entries: [EventEntry]) async throws {
        try await phases.recordAsync(.events) { try await inner.put(entries) }
    }
}

/// An ``ImageRenderer`` that times its calls.
struct TimedRenderer: ImageRenderer {
    let inner: any ImageRenderer
    let phases: InvocationPhases

    func render(_ original: Data) throws -> RenderedImages {
        try phases.record(.render) { try inner.render(original) }
    }
}
