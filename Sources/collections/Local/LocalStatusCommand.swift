import ArgumentParser
import Foundation
import LocalStack
import Logging
import PipelineCore
import Tables

/// `collections local status`.
struct LocalStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the stack's processes, queue depths, failures and row counts; exit 1 if it is not up.")

    @OptionGroup var state: StateOptions

    func run() async throws {
        JSONLogHandler.bootstrap(defaultLevel: .warning)
        let control = try state.control()
        guard let stack = try control.current() else {
            print("no local stack is up (collections local up starts one)")
            throw ExitCode(1)
        }
        var healthy = true
        print("Processes:")
        for (name, pid) in stack.processes.sorted(by: { $0.key < $1.key }) {
            let process = ManagedProcess(name: name, pid: pid)
            let running = process.isRunning
            healthy = healthy && running
            print(
                "  \(name.padding(toLength: 10, withPad: " ", startingAt: 0)) pid \(pid)  "
                    + (running ? "running (\(process.sessionMembers.count) process(es))" : "NOT RUNNING"))
        }
        let sqs = try stack.sqs()
        let memory = FunctionMemory.byFunction(
            FunctionMemory.load(from: FunctionMemory.folder(in: control.paths.state)))
        var table = Table(headers: [
            "function", "processes", "queued", "in flight", "dead letters", "RSS (all processes)",
            "peak RSS (one process)",
        ])
        for function in stack.functions {
            let names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
            let queue = (try? await sqs.attributes(of: function.queueURL, names: names)) ?? [:]
            let dead = (try? await sqs.attributes(of: function.deadLetterURL, names: names)) ?? [:]
            let deadCount = (Int(dead[names[0]] ?? "") ?? 0) + (Int(dead[names[1]] ?? "") ?? 0)
            table.add([
                function.executable, "\(function.processes)", queue[names[0]] ?? "?", queue[names[1]] ?? "?",
                "\(deadCount)", memory[function.name].map { megabytes($0.resident) } ?? "?",
                memory[function.name].map { megabytes($0.peak) } ?? "?",
            ])
        }
        print("\nFunctions:\n" + table.render())
        do {
            let database = try Database(url: stack.databaseURL, logger: Logger(label: "postgres"))
            let counts = try await database.closing { try await TableCounts.read($0) }
            print("\nRows: \(counts.items) items, \(counts.analyses) analyses, \(counts.embeddings) embeddings")
        } catch {
            healthy = false
            print("\nRows: the database does not answer (\(error))")
        }
        print(
            "\nEndpoint \(stack.endpoint), bucket \(stack.bucket), bus \(stack.bus); logs in \(control.paths.logs.path)"
        )
        if !healthy { throw ExitCode(1) }
    }
}

/// Bytes as whole megabytes (MiB), such as `87 MB`.
func megabytes(_ bytes: Int) -> String { "\((bytes + (1 << 19)) >> 20) MB" }
