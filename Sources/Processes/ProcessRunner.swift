import Foundation
import Subprocess
import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// The one way the package starts processes, on swift-subprocess.
///
/// Every child runs in a session and process group of its own (`setsid`), with a clean signal
/// mask and default dispositions, and no inherited descriptors beyond its standard three.
/// Stopping one sends SIGTERM to its whole group, then SIGKILL after a grace period; its exit
/// status is awaited (waitid on a pidfd inside swift-subprocess), never polled.
public enum ProcessRunner {
    /// The default time between SIGTERM and SIGKILL.
    public static let grace: Duration = .seconds(10)

    /// Runs `command` to its end.
    /// - Parameters:
    ///   - timeout: stop it (SIGTERM to its group, SIGKILL after `grace`) once this has passed.
    ///   - grace: the time between SIGTERM and SIGKILL when stopped by the timeout or by
    ///     cancelling the calling task.
    /// - Throws: ``ProcessError`` when it cannot start, or ran over `timeout`.
    public static func run(
        _ command: ProcessCommand, timeout: Duration? = nil, grace: Duration = grace
    ) async throws -> ProcessOutcome {
        let process = try await start(command, grace: grace)
        guard let timeout else { return try await process.wait() }
        return try await process.wait(timeout: timeout, grace: grace)
    }

    /// Starts `command` as a child this process supervises until it ends.
    /// - Throws: ``ProcessError`` when it cannot start.
    public static func start(_ command: ProcessCommand, grace: Duration = grace) async throws -> RunningProcess {
        let (pids, pidSink) = AsyncStream<pid_t>.makeStream()
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: grace)]
        let task = Task<ProcessOutcome, any Error> {
            defer { pidSink.finish() }
            do {
                return try await launch(command, options: options) { pidSink.yield($0) }
            } catch {
                throw ProcessError("cannot run \(command.commandLine): \(error)")
            }
        }
        var iterator = pids.makeAsyncIterator()
        guard let pid = await iterator.next() else {
            _ = try await task.value
            throw ProcessError("\(command.commandLine) did not start")
        }
        return RunningProcess(pid: pid, name: command.executable, task: task)
    }

    /// Starts `command` as a daemon that outlives this process: its own session (its pid is the
    /// session id), output appended to `log`. While this process lives it still reaps the daemon.
    /// - Returns: the daemon's pid.
    public static func detach(_ command: ProcessCommand) async throws -> Int32 {
        // The supervising task goes on while this process lives; the daemon outlives both.
        try await start(command).pid
    }

    private static func launch(
        _ command: ProcessCommand, options: PlatformOptions, started: @escaping @Sendable (pid_t) -> Void
    ) async throws -> ProcessOutcome {
        let executable: Executable =
            command.executable.contains("/") ? .path(FilePath(command.executable)) : .name(command.executable)
        let environment: Environment =
            command.environment.map { values in
                .custom(
                    Dictionary(
                        uniqueKeysWithValues: values.compactMap { name, value in
                            Environment.Key(rawValue: name).map { ($0, value) }
                        }))
            } ?? .inherit
        let directory = command.workingDirectory.map { FilePath($0) }
        let arguments = Arguments(command.arguments)
        switch command.output {
        case .collect(let limit):
            let result = try await Subprocess.run(
                executable, arguments: arguments, environment: environment, workingDirectory: directory,
                platformOptions: options, input: .none, output: .string(limit: limit), error: .string(limit: limit)
            ) { execution in started(execution.processIdentifier.value) }
            return outcome(result.terminationStatus, result.standardOutput, result.standardError)
        case .appendToFile(let path), .appendToFiles(stdout: let path, stderr: _):
            let file = try appending(path)
            var copy = try file.duplicate()
            if case .appendToFiles(_, let errors) = command.output {
                try copy.close()
                copy = try appending(errors)
            }
            let result = try await Subprocess.run(
                executable, arguments: arguments, environment: environment, workingDirectory: directory,
                platformOptions: options, input: .none,
                output: .fileDescriptor(file, closeAfterSpawningProcess: true),
                error: .fileDescriptor(copy, closeAfterSpawningProcess: true)
            ) { execution in started(execution.processIdentifier.value) }
            return outcome(result.terminationStatus, "", "")
        case .inherit:
            let result = try await Subprocess.run(
                executable, arguments: arguments, environment: environment, workingDirectory: directory,
                platformOptions: options, input: .none, output: .currentStandardOutput, error: .currentStandardError
            ) { execution in started(execution.processIdentifier.value) }
            return outcome(result.terminationStatus, "", "")
        case .discard:
            let result = try await Subprocess.run(
                executable, arguments: arguments, environment: environment, workingDirectory: directory,
                platformOptions: options, input: .none, output: .discarded, error: .discarded
            ) { execution in started(execution.processIdentifier.value) }
            return outcome(result.terminationStatus, "", "")
        }
    }

    private static func appending(_ path: String) throws -> FileDescriptor {
        try FileDescriptor.open(
            FilePath(path), .writeOnly, options: [.create, .append],
            permissions: [.ownerReadWrite, .groupRead, .otherRead])
    }

    private static func outcome(_ status: TerminationStatus, _ stdout: String, _ stderr: String) -> ProcessOutcome {
        switch status {
        case .exited(let code): ProcessOutcome(status: code, stdout: stdout, stderr: stderr)
        case .signaled(let signal): ProcessOutcome(status: 128 + signal, signal: signal, stdout: stdout, stderr: stderr)
        }
    }
}
