import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child started by ``ProcessRunner/start(_:grace:)``, leader of its own session and process
/// group, supervised by a task that awaits its exit.
public final class RunningProcess: Sendable {
    /// The process id, which is also its session and process group id.
    public let pid: Int32
    /// The program, for messages.
    public let name: String
    private let task: Task<ProcessOutcome, any Error>
    private let exit = ExitSignal()

    init(pid: Int32, name: String, task: Task<ProcessOutcome, any Error>) {
        self.pid = pid
        self.name = name
        self.task = task
        let exit = self.exit
        Task {
            _ = try? await task.value
            exit.fire()
        }
    }

    /// Whether it has not ended yet (its exit has not been reaped).
    public var isRunning: Bool { !exit.fired }

    /// Sends `signal` to its process group (it and whatever it started), or to it alone.
    public func signal(_ signal: Int32, group: Bool = true) {
        kill(group ? -pid : pid, signal)
    }

    /// Waits for it to end. Cancelling the waiting task stops the process: SIGTERM to its group,
    /// SIGKILL after the grace period it was started with.
    public func wait() async throws -> ProcessOutcome {
        let task = self.task
        let outcome = try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
        exit.fire()
        return outcome
    }

    /// Waits for it to end; after `timeout`, stops it and throws.
    /// - Throws: ``ProcessError`` naming the program and the timeout.
    public func wait(timeout: Duration, grace: Duration = ProcessRunner.grace) async throws -> ProcessOutcome {
        guard await exit.fires(within: timeout) else {
            let outcome = await stop(grace: grace)
            throw ProcessError(
                "\(name) ran over \(timeout) and was stopped (status \(outcome.map { "\($0.status)" } ?? "unknown"))")
        }
        return try await wait()
    }

    /// SIGTERM to its group, SIGKILL to the group after `grace` if it is still running, then
    /// waits for its exit.
    /// - Returns: how it ended; nil if it could not even be started.
    @discardableResult
    public func stop(grace: Duration = ProcessRunner.grace) async -> ProcessOutcome? {
        signal(SIGTERM)
        if await !exit.fires(within: grace) { signal(SIGKILL) }
        let outcome = try? await task.value
        exit.fire()
        return outcome
    }
}
