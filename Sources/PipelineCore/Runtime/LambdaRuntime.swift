import Dispatch
import Foundation
import Logging
import Synchronization

/// The Runtime API loop: `next` → handle → `response` or `error`, until stopped.
///
/// A handler's error is reported for that invocation and the loop goes on. An event over
/// ``maxEventBytes`` is refused with ``EventError`` `tooLarge` without reaching the handler.
/// ``stop()`` (called on
/// SIGTERM by ``stopOnTermination()``) lets a running invocation finish and report, then returns
/// from ``run(_:)``; a wait for the next event is cancelled at once.
public final class LambdaRuntime: Sendable {
    /// Handles one event; returns the response JSON.
    public typealias Handler = @Sendable (Data, LambdaContext) async throws -> Data

    /// The largest event passed to the handler, in bytes.
    public let maxEventBytes: Int

    private let client: LambdaRuntimeClient
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var stopping = false
        var waiting: Task<LambdaInvocation, any Error>?
        var signalSource: SignalSource?
    }

    /// Creates a loop over a Runtime API client.
    /// - Parameter maxEventBytes: the largest event handled; larger ones are refused unread.
    public init(client: LambdaRuntimeClient, logger: Logger, maxEventBytes: Int = EventSizeLimit.invocationBytes) {
        self.client = client
        self.logger = logger
        self.maxEventBytes = maxEventBytes
    }

    /// Runs invocations until ``stop()``.
    /// - Throws: ``LambdaRuntimeError`` when the Runtime API itself fails; Lambda then restarts the process.
    public func run(_ handler: Handler) async throws {
        while let invocation = try await nextUnlessStopped() {
            let context = invocation.context
            if let trace = context.traceID {
                setenv("_X_AMZN_TRACE_ID", trace, 1)
            } else {
                unsetenv("_X_AMZN_TRACE_ID")
            }
            switch await handle(invocation, handler) {
            case .success(let body):
                do {
                    try await client.respond(requestID: context.requestID, body: body)
                } catch {
                    // Such as a response over Lambda's payload limit: report it as the invocation's error.
                    context.logger.error("response refused", metadata: ["error": "\(error)"])
                    try await client.fail(requestID: context.requestID, error: LambdaErrorBody(error))
                }
            case .failure(let error):
                let body = LambdaErrorBody(error)
                context.logger.error(
                    "invocation failed", metadata: ["error_type": "\(body.errorType)", "error": "\(error)"])
                try await client.fail(requestID: context.requestID, error: body)
            }
        }
        logger.info("runtime loop stopped")
    }

    private func handle(_ invocation: LambdaInvocation, _ handler: Handler) async -> Result<Data, any Error> {
        do {
            try EventSizeLimit.check(size: invocation.size, limit: maxEventBytes)
            return .success(
                try await InvocationDeadline.$current.withValue(invocation.context.deadline) {
                    try await TraceHeader.$current.withValue(invocation.context.traceID) {
                        try await handler(invocation.event, invocation.context)
                    }
                })
        } catch {
            return .failure(error)
        }
    }

    /// Ends the loop: a wait for the next event is cancelled; a running invocation finishes first.
    public func stop() {
        state.withLock { state in
            state.stopping = true
            state.waiting?.cancel()
        }
    }

    /// Calls ``stop()`` when the process receives SIGTERM, as Lambda sends before shutting down.
    public func stopOnTermination() {
        signal(SIGTERM, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        source.setEventHandler { [weak self] in
            self?.logger.info("SIGTERM: stopping after the current invocation")
            self?.stop()
        }
        source.resume()
        state.withLock { $0.signalSource = SignalSource(source: source) }
    }

    private func nextUnlessStopped() async throws -> LambdaInvocation? {
        let client = self.client
        let logger = self.logger
        let limit = maxEventBytes
        // The task starts under the lock, so that once stop() has run no new request goes out.
        let started = state.withLock { state -> Task<LambdaInvocation, any Error>? in
            guard !state.stopping else { return nil }
            let task = Task { try await client.next(logger: logger, maxEventBytes: limit) }
            state.waiting = task
            return task
        }
        guard let task = started else { return nil }
        defer { state.withLock { $0.waiting = nil } }
        do {
            return try await task.value
        } catch {
            if state.withLock({ $0.stopping }) { return nil }
            throw error
        }
    }
}

/// Keeps the SIGTERM source alive; Dispatch sources are thread-safe but not marked `Sendable`.
private struct SignalSource: @unchecked Sendable {
    let source: any DispatchSourceSignal
}
