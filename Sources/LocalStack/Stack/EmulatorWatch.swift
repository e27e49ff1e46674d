import Foundation
import Logging

/// Part of the runner: restarts the stack's moto when it exits (a crash, an OOM kill, someone's
/// `kill`), on the same port, and rebuilds its state from the journal (``EmulatorJournal``), so
/// the queue URLs, bucket and rules the functions use are valid again without a manual step.
/// While moto is down, function calls to S3 and EventBridge fail with a transport error and the
/// queue workers wait; messages that were in moto's queues are lost with it, but every upload
/// is announced again by the replay, so each one is processed to the end.
struct EmulatorWatch: Sendable {
    let paths: StackPaths
    let endpoint: URL
    let environment: [String: String]
    let logger: Logger
    /// How often moto's process is checked.
    var interval: Duration = .milliseconds(500)

    /// Watches until cancelled.
    func run(pid: Int32) async {
        var current = ManagedProcess(name: "moto", pid: pid)
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            guard !Task.isCancelled, !current.isRunning else { continue }
            do {
                current = try await restart()
            } catch {
                logger.error("cannot restart moto; trying again", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(2))
            }
        }
    }

    /// Starts moto again on its port, replays the journal, and records the new pid in `stack.json`.
    func restart() async throws -> ManagedProcess {
        guard let port = endpoint.port else { throw LocalStackError("the stack's endpoint \(endpoint) has no port") }
        let begin = ContinuousClock.now
        logger.warning("moto exited; restarting it and restoring its state", metadata: ["port": "\(port)"])
        let journal = Emulator.journal(in: paths)
        let previous = journal.appendingPathExtension("replaying")
        // A replay cut short earlier left its journal here: it is still the whole history.
        if !FileManager.default.fileExists(atPath: previous.path) {
            try? FileManager.default.moveItem(at: journal, to: previous)
        } else {
            try? FileManager.default.removeItem(at: journal)
        }
        let moto = try await Emulator.launch(paths: paths, port: port, environment: environment)
        if var state = try StackState.load(from: paths.state) {
            state.processes["moto"] = moto.pid
            try state.save(to: paths.state)
        }
        // The replayed requests are recorded again: the new journal holds the state, not the traffic.
        let replayed =
            FileManager.default.fileExists(atPath: previous.path)
            ? try await EmulatorJournal.replay(previous, to: endpoint) : (sent: 0, refused: 0)
        try? FileManager.default.removeItem(at: previous)
        logger.warning(
            "moto restarted and restored",
            metadata: [
                "pid": "\(moto.pid)", "requests_replayed": "\(replayed.sent)", "refused": "\(replayed.refused)",
                "ms": "\((ContinuousClock.now - begin).milliseconds)",
            ])
        return moto
    }
}
