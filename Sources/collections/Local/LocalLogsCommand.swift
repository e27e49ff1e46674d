import ArgumentParser
import Foundation
import LocalStack

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
        let tail = Process()
        tail.executableURL = URL(fileURLWithPath: "/usr/bin/tail")
        tail.arguments = ["-n", "\(lines)"] + (follow ? ["-F"] : []) + files
        try tail.run()
        tail.waitUntilExit()
    }
}
