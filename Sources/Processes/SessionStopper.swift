import CProcessWait
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Stops a session started earlier, possibly by another process (the local stack's daemons,
/// stopped by `collections local down`): SIGTERM to each member, SIGKILL after a grace period to
/// what is left. A process that is not our child has no exit status to collect, so its end is
/// awaited through a pidfd (pidfd_open(2)), not polled.
public enum SessionStopper {
    /// The live members of session `session`: its leader and whatever it started.
    public static func members(of session: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let stat = stat(of: pid) else { return false }
            return stat.session == session && stat.state != "Z"
        }
    }

    /// Whether `pid` runs and leads its own session (so it is the daemon we started, not a reused pid).
    public static func isSessionLeader(_ pid: Int32) -> Bool {
        guard let stat = stat(of: pid) else { return false }
        return stat.session == pid && stat.state != "Z"
    }

    /// SIGTERM to every member, waits up to `grace` for each to exit, SIGKILL to the rest.
    /// - Returns: the processes that had to be killed.
    @discardableResult
    public static func stop(session: Int32, grace: Duration = ProcessRunner.grace) async -> [Int32] {
        let targets = members(of: session).compactMap(Watched.init)
        defer { for target in targets { close(target.descriptor) } }
        for target in targets { kill(target.pid, SIGTERM) }
        let deadline = ContinuousClock.now + grace
        var stubborn: [Watched] = []
        for target in targets where !(await target.exits(before: deadline)) {
            stubborn.append(target)
        }
        for target in stubborn { kill(target.pid, SIGKILL) }
        let killDeadline = ContinuousClock.now + .seconds(5)
        for target in stubborn { _ = await target.exits(before: killDeadline) }
        return stubborn.map(\.pid)
    }

    /// A process and the pidfd that reports its exit.
    private struct Watched: Sendable {
        let pid: Int32
        let descriptor: Int32

        init?(_ pid: Int32) {
            let descriptor = collections_pidfd_open(pid)
            guard descriptor >= 0 else { return nil }
            self.pid = pid
            self.descriptor = descriptor
        }

        /// Blocks a thread of its own in poll(2) until the process exits or `deadline` passes.
        func exits(before deadline: ContinuousClock.Instant) async -> Bool {
            let left = max(.zero, deadline - ContinuousClock.now)
            let milliseconds = Int32(
                clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
            let descriptor = self.descriptor
            return await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    continuation.resume(returning: collections_pidfd_wait(descriptor, milliseconds) != 0)
                }
            }
        }
    }

    private struct Stat {
        var state: String
        var session: Int32
    }

    /// Reads the state and session of `/proc/<pid>/stat`.
    private static func stat(of pid: Int32) -> Stat? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm) ": state ppid pgrp session ...
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 3, let session = Int32(fields[3]) else { return nil }
        return Stat(state: String(fields[0]), session: session)
    }
}
