import ArgumentParser
import Foundation
import LocalStack
import PipelineCore
import Tables

/// `collections local failures`.
struct LocalFailuresCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failures",
        abstract: "List the events that failed every attempt (the dead-letter queues), with their errors.")

    @OptionGroup var state: StateOptions
    @Flag(help: "One JSON object per failure, with the event.") var json = false

    func run() async throws {
        let stack = try state.requireState()
        let failures = try await DeadLetters(sqs: try stack.sqs(), state: stack).list()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for failure in failures { print(String(decoding: try encoder.encode(failure), as: UTF8.self)) }
            return
        }
        guard !failures.isEmpty else {
            print("no failures")
            return
        }
        var table = Table(headers: ["function", "event", "subject", "attempts", "error"])
        for failure in failures {
            table.add([
                failure.function, failure.detailType, failure.subject, "\(failure.attempts)",
                "\(failure.errorType): \(failure.errorMessage)",
            ])
        }
        table.maxWidth = 90
        print(table.render())
        print("\n\(failures.count) failure(s); `collections local redrive` sends them back to their functions.")
    }
}

/// `collections local redrive`.
struct LocalRedriveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redrive", abstract: "Send failed events back to their functions for a fresh set of attempts.")

    @OptionGroup var state: StateOptions
    @Option(help: "Only this function's failures (Analyzer, or its full name).") var function: String?

    func run() async throws {
        let stack = try state.requireState()
        if let function, !stack.functions.contains(where: { $0.name == function || $0.executable == function }) {
            throw ValidationError(
                "no function \(function); the stack has \(stack.functions.map(\.executable).joined(separator: ", "))")
        }
        let count = try await DeadLetters(sqs: try stack.sqs(), state: stack).redrive(function: function)
        print("sent \(count) event(s) back")
    }
}
