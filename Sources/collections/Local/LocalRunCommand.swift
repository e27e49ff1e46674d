import ArgumentParser
import Dispatch
import Foundation
import LocalStack
import Logging
import PipelineCore

/// `collections local run`: the function runner `local up` starts in the background.
struct LocalRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the stack's functions in the foreground (local up starts this).",
        shouldDisplay: false)

    @OptionGroup var state: StateOptions

    func run() async throws {
        JSONLogHandler.bootstrap(defaultLevel: .info)
        let logger = Logger(label: "local-runner")
        let paths = try state.paths()
        let stack = try state.requireState()
        let runner = StackRunner(state: stack, paths: paths, logger: logger)
        let task = Task { try await runner.run() }
        // SIGTERM and SIGINT stop the functions, then this process.
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                logger.info("stopping", metadata: ["signal": "\(signalNumber)"])
                task.cancel()
            }
            source.resume()
            sources.append(source)
        }
        try await task.value
        for source in sources { source.cancel() }
    }
}
