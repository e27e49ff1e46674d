import ArgumentParser
import Foundation
import LocalStack
import PipelineCore
import StandIns

/// `collections local up`.
struct LocalUpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Start the local stack in the background (idempotent) and print how to use it.",
        discussion: """
            Starts PostgreSQL with pgvector (scripts/postgres), a moto server on 127.0.0.1, the Claude and Voyage \
            stand-ins unless ANTHROPIC_API_KEY and VOYAGE_API_KEY are set, and the three function binaries behind \
            local Lambda Runtime APIs, each fed from its SQS queue.
            """)

    @OptionGroup var state: StateOptions

    @Option(help: "The PostgreSQL database (must exist; `collections` does).") var database = "collections"
    @Option(help: "The upload bucket's name.") var bucket = "collections-local"
    @Option(
        help: "Processes per function, over the event source mappings' MaximumConcurrency (the default, as deployed).")
    var processes: Int?
    @Option(
        name: .customLong("function-processes"),
        help: "Processes for one function, such as Analyzer=4 (repeatable).")
    var functionProcesses: [String] = []
    @Option(name: .customLong("retry-delay-ms"), help: "Wait before a failed event's first retry (doubles after).")
    var retryDelayMilliseconds = 1000
    @Option(help: "Faults the stand-ins inject, such as 429=0.1,500=0.05 (default none).")
    var faults = ""
    @Option(
        name: .customLong("rate-limit"),
        help: "Rate limits the stand-ins enforce, such as claude=300/min:itpm=30000,voyage=2000/min (default none).")
    var rateLimit = ""
    @Option(
        name: .customLong("parameter"), help: "A template parameter, such as ClaudeModel=claude-opus-5-5 (repeatable).")
    var parameters: [String] = []

    func run() async throws {
        JSONLogHandler.bootstrap(defaultLevel: .warning)
        var options = StackOptions()
        options.database = database
        options.bucket = bucket
        options.defaultProcesses = processes.map { max(1, $0) }
        options.retryDelay = .milliseconds(max(0, retryDelayMilliseconds))
        options.standInFaults = faults
        do {
            _ = try RateLimits(parsing: rateLimit)
        } catch {
            throw ValidationError("\(error)")
        }
        options.standInRateLimit = rateLimit
        for item in functionProcesses {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let count = Int(parts[1]), count > 0 else {
                throw ValidationError("--function-processes takes NAME=COUNT, such as Analyzer=4")
            }
            options.processes[parts[0]] = count
        }
        for item in parameters {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--parameter takes NAME=VALUE") }
            options.parameters[parts[0]] = parts[1]
        }
        let control = try state.control()
        let stack = try await control.up(options) { print("• \($0)") }
        print("")
        print(StackSummary(state: stack, paths: control.paths).render())
    }
}

/// `collections local down`.
struct LocalDownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down", abstract: "Stop every process the local stack started (its logs stay).")

    @OptionGroup var state: StateOptions

    func run() async throws {
        try await state.control().down { print("• \($0)") }
    }
}

/// `collections local env`.
struct LocalEnvCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Print export lines pointing the aws CLI, psql and collections at the stack.",
        discussion: "Use: eval \"$(collections local env)\"")

    @OptionGroup var state: StateOptions

    func run() async throws {
        let stack = try state.requireState()
        var lines = stack.clientEnvironment.sorted { $0.key < $1.key }.map {
            "export \($0.key)=\(shellQuoted($0.value))"
        }
        let paths = try state.paths()
        lines.append("export COLLECTIONS_LOCAL_DIR=\(shellQuoted(paths.state.path))")
        // `aws` (the CLI in .venv) and `collections` by name.
        let folders = [paths.venv.appendingPathComponent("bin").path, paths.binaries.path]
        lines.append("export PATH=\(folders.map(shellQuoted).joined(separator: ":")):\"$PATH\"")
        print(lines.joined(separator: "\n"))
    }
}

/// Single-quotes a value for a POSIX shell.
func shellQuoted(_ value: String) -> String {
    if value.allSatisfy({ $0.isLetter || $0.isNumber || "-_./:@%+=,".contains($0) }) { return value }
    return "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
