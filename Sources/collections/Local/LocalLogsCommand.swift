import ArgumentParser
import Dispatch
import Foundation
import LocalStack
import Processes

/// `collections local logs`.
struct LocalLogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print the stack's logs: the functions' JSON lines, the runner, moto and the stand-ins.")

    @OptionGroup var state: StateOptions
    @Argument(
        help: "Only logs whose name starts with this: ImageProcessor, Analyzer, Embedder, runner, moto, stand-ins.")
    var name: String?
    @Option(name: [.customShort("n"), .long], help: "Lines from the end of each log.") var lines = 40
    @Flag(name: .shortAndLong, help: "Keep printing as the logs grow.") var follow = false

    func run() async throws {
        let logs = try state.paths().logs
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: logs.path)) ?? [])
            .filter { $0.hasSuffix(".log") && (name == nil || $0.lowercased().hasPrefix(name!.lowercased())) }
            .sorted()
            .map { logs.appendingPathComponent($0).path }
        guard !files.isEmpty else {
            throw ValidationError("no logs\(name.map { " named \($0)*" } ?? "") in \(logs.path)")
        }
        // tail runs in a process group of its own, so ^C reaches only this process: it cancels
        // the run, which stops tail (SIGTERM to its group, then SIGKILL).
        let run = Task {
            try await ProcessRunner.run(
                ProcessCommand("/usr/bin/tail", ["-n", "\(lines)"] + (follow ? ["-F"] : []) + files, output: .inherit),
                grace: .seconds(2))
        }
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler { run.cancel() }
        interrupt.resume()
        defer { interrupt.cancel() }
        _ = try? await run.value
    }
}
