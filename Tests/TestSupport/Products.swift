import Foundation

/// The package's built executables, run as child processes.
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
        /// The exit status.
        public var status: Int32
        /// Standard output.
        public var stdout: String
        /// Standard error.
        public var stderr: String
    }

    /// Starts an executable with exactly `environment` (plus `PATH` and `HOME`), output to files.
    public static func start(
        _ executable: String, arguments: [String] = [], environment: [String: String]
    ) throws -> RunningProduct {
        try start(program: try path(executable), arguments: arguments, environment: environment)
    }

    /// Starts any program, as ``start(_:arguments:environment:)`` does.
    public static func start(
        program: URL, arguments: [String] = [], environment: [String: String]
    ) throws -> RunningProduct {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        let inherited = ProcessInfo.processInfo.environment.filter { ["PATH", "HOME", "LANG"].contains($0.key) }
        process.environment = inherited.merging(environment) { $1 }
        process.currentDirectoryURL = TestEnvironment.repository
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("product-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let out = folder.appendingPathComponent("stdout")
        let err = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
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
public struct RunningProduct: @unchecked Sendable {
    /// The process.
    public let process: Process
    let stdout: URL
    let stderr: URL

    /// Sends a signal.
    public func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the process to end; kills it and throws after `timeout`.
    public func wait(timeout: Duration) async throws -> Products.Outcome {
        let start = ContinuousClock.now
        while process.isRunning {
            if ContinuousClock.now - start > timeout {
                process.terminate()
                throw TestSetupError("\(process.executableURL?.lastPathComponent ?? "process") ran over \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return Products.Outcome(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: stdout, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: stderr, encoding: .utf8)) ?? "")
    }
}
