import Dispatch
import Processes
import Synchronization

/// Runs a command through ``ProcessRunner`` and blocks the calling thread until it ends: for a
/// `defer`, which cannot await. The run's tasks execute on a dispatch queue of their own, not
/// the cooperative pool the blocked caller may belong to, so the wait cannot starve it.
public enum BlockingRun {
    /// Runs `command` to its end (at most `timeout`); nil when it could not run.
    @discardableResult
    public static func run(_ command: ProcessCommand, timeout: Duration = .seconds(120)) -> ProcessOutcome? {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<ProcessOutcome?>(nil)
        Task(executorPreference: QueueExecutor.shared) {
            let outcome = try? await ProcessRunner.run(command, timeout: timeout)
            result.withLock { $0 = outcome }
            done.signal()
        }
        done.wait()
        return result.withLock { $0 }
    }
}

/// A task executor on one dispatch queue.
final class QueueExecutor: TaskExecutor {
    static let shared = QueueExecutor()
    private let queue = DispatchQueue(label: "collections.blocking-run")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
