import Foundation
import Processes

/// The package's built executables, run as child processes through the one ``ProcessRunner``.
public enum Products {
    /// The folder holding the test runner, which also holds the executables (`.build/debug`).
    public static var folder: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// The path of a built executable.
    /// - Throws: ``TestSetupError`` when it is not built.
    public static func path(_ executable: String) throws -> URL {
        let binary = folder.appendingPathComponent(executable)
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw TestSetupError("\(binary.path) is not built: run swift build --build-tests (scripts/test does)")
        }
        return binary
    }

    /// What a finished process left.
    public struct Outcome: Sendable {
        /// The exit status (128 + the signal for a process a signal ended).
        public var status: Int32
        /// Standard output.
        public var stdout: String
        /// Standard error.
        public var stderr: String
    }

    /// Starts an executable with exactly `environment` (plus `PATH`, `HOME` and `LANG`), output to files.
    public static func start(
        _ executable: String, arguments: [String] = [], environment: [String: String]
    ) async throws -> RunningProduct {
        try await start(program: try path(executable), arguments: arguments, environment: environment)
    }

    /// Starts any program, as ``start(_:arguments:environment:)`` does.
    public static func start(
        program: URL, arguments: [String] = [], environment: [String: String]
    ) async throws -> RunningProduct {
        let inherited = ProcessInfo.processInfo.environment.filter { ["PATH", "HOME", "LANG"].contains($0.key) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("product-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let out = folder.appendingPathComponent("stdout")
        let err = folder.appendingPathComponent("stderr")
        let process = try await ProcessRunner.start(
            ProcessCommand(
                program.path, arguments, environment: inherited.merging(environment) { $1 },
                workingDirectory: TestEnvironment.repository.path,
                output: .appendToFiles(stdout: out.path, stderr: err.path)))
        return RunningProduct(process: process, stdout: out, stderr: err)
    }

    /// Runs an executable to the end (at most `timeout`).
    public static func run(
        _ executable: String, arguments: [String] = [], environment: [String: String],
        timeout: Duration = .seconds(120)
    ) async throws -> Outcome {
        try await start(executable, arguments: arguments, environment: environment).wait(timeout: timeout)
    }
}

/// A started executable.
public struct RunningProduct: Sendable {
    /// The process.
    public let process: RunningProcess
    let stdout: URL
    let stderr: URL

    /// Whether it has not ended yet.
    public var isRunning: Bool { process.isRunning }

    /// Sends a signal to the process alone.
    public func signal(_ number: Int32) {
        process.signal(number, group: false)
    }

    /// Waits for the process to end; stops it (SIGTERM, then SIGKILL) and throws after `timeout`.
    public func wait(timeout: Duration) async throws -> Products.Outcome {
        let ended = try await process.wait(timeout: timeout, grace: .seconds(5))
        return Products.Outcome(
            status: ended.status,
            stdout: (try? String(contentsOf: stdout, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: stderr, encoding: .utf8)) ?? "")
    }
}
