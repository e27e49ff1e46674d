import Foundation

/// A background process the local stack starts and later stops: it runs in its own session
/// (`setsid`), so it outlives the command that started it and ignores that terminal's hangups,
/// and stopping it stops everything it started (the whole session).
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

    /// Starts `executable` in a new session, with output appended to `log`.
    /// - Throws: ``LocalStackError`` when it cannot start or exits at once.
    public static func launch(
        name: String, executable: String, arguments: [String], environment: [String: String], log: URL
    ) throws -> ManagedProcess {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw LocalStackError("cannot start \(name): \(executable) is missing or not executable")
        }
        let pid = try Spawn.detached(
            executable: executable, arguments: arguments, environment: environment, log: log.path)
        let process = ManagedProcess(name: name, pid: pid)
        // Reap it when it exits while this process lives (a failed start, say).
        Thread.detachNewThread {
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        return process
    }

    /// Whether the process still runs (and is the session leader we started, not a reused pid).
    public var isRunning: Bool {
        guard let stat = ProcessTable.stat(of: pid) else { return false }
        return stat.session == pid && stat.state != "Z"
    }

    /// Every live process in this one's session: it and whatever it started.
    public var sessionMembers: [Int32] {
        ProcessTable.all().filter { $0.session == pid && $0.state != "Z" }.map(\.pid)
    }

    /// Sends SIGTERM to the session, waits up to `grace`, then SIGKILLs what is left.
    /// - Returns: the processes that had to be killed.
    @discardableResult
    public func stop(grace: Duration = .seconds(10)) async -> [Int32] {
        for member in sessionMembers { kill(member, SIGTERM) }
        let start = ContinuousClock.now
        while !sessionMembers.isEmpty, ContinuousClock.now - start < grace {
            try? await Task.sleep(for: .milliseconds(50))
        }
        let stubborn = sessionMembers
        for member in stubborn { kill(member, SIGKILL) }
        while !sessionMembers.isEmpty, ContinuousClock.now - start < grace + .seconds(5) {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return stubborn
    }
}

/// Reads `/proc/<pid>/stat`.
enum ProcessTable {
    struct Stat {
        var pid: Int32
        var state: String
        var session: Int32
    }

    static func stat(of pid: Int32) -> Stat? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm) ": state ppid pgrp session ...
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 3, let session = Int32(fields[3]) else { return nil }
        return Stat(pid: pid, state: String(fields[0]), session: session)
    }

    static func all() -> [Stat] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.compactMap(stat(of:))
    }
}
