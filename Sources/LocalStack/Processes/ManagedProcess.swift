import Foundation
import Processes

/// A background process the local stack starts and later stops: it runs in its own session
/// (started by ``ProcessRunner/detach(_:)``), so it outlives the command that started it and
/// ignores that terminal's hangups, and stopping it stops everything it started (the whole
/// session, through ``SessionStopper``).
public struct ManagedProcess: Sendable {
    /// A name for messages, such as `moto`.
    public var name: String
    /// The process id, which is also its session id.
    public var pid: Int32

    /// A process started earlier, by name and pid.
    public init(name: String, pid: Int32) {
        self.name = name
        self.pid = pid
    }

    /// Starts `executable` in a new session with exactly `environment`, output appended to `log`.
    /// - Throws: ``LocalStackError`` when it cannot start.
    public static func launch(
        name: String, executable: String, arguments: [String], environment: [String: String], log: URL
    ) async throws -> ManagedProcess {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw LocalStackError("cannot start \(name): \(executable) is missing or not executable")
        }
        do {
            let pid = try await ProcessRunner.detach(
                ProcessCommand(executable, arguments, environment: environment, output: .appendToFile(log.path)))
            return ManagedProcess(name: name, pid: pid)
        } catch {
            throw LocalStackError("cannot start \(name): \(error)")
        }
    }

    /// Whether the process still runs (and is the session leader we started, not a reused pid).
    public var isRunning: Bool { SessionStopper.isSessionLeader(pid) }

    /// Every live process in this one's session: it and whatever it started.
    public var sessionMembers: [Int32] { SessionStopper.members(of: pid) }

    /// Sends SIGTERM to the session, waits up to `grace` for each member's exit, then SIGKILLs what is left.
    /// - Returns: the processes that had to be killed.
    @discardableResult
    public func stop(grace: Duration = .seconds(10)) async -> [Int32] {
        await SessionStopper.stop(session: pid, grace: grace)
    }
}
