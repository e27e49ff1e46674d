import ArgumentParser
import Foundation
import LocalStack
import PipelineCore

/// `collections local failures`.
struct LocalFailuresCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failures",
        abstract: "List the events that failed every attempt (the dead-letter queues), with their errors.")

    @OptionGroup var state: StateOptions
    @Option(help: "Only this function's failures (Analyzer, or its full name).") var function: String?
    @Flag(help: "One JSON object per failure, with the event.") var json = false

    func run() async throws {
        let stack = try state.requireState()
        let failures = try await DeadLetters(sqs: try stack.sqs(), state: stack).list(function: function)
        try FailureReport.print(failures, json: json, redriveCommand: "collections local redrive")
    }
}

/// `collections local redrive`.
struct LocalRedriveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redrive", abstract: "Send failed events back to their functions for a fresh set of attempts.")

    @OptionGroup var state: StateOptions
    @Option(help: "Only this function's failures (Analyzer, or its full name).") var function: String?
    @Option(help: "At most this many events in all (default: every one).") var limit: Int?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, not \(limit)") }
    }

    func run() async throws {
        let stack = try state.requireState()
        let letters = DeadLetters(sqs: try stack.sqs(), state: stack)
        FailureReport.print(try await letters.redrive(function: function, limit: limit))
    }
}
