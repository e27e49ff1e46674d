import ArgumentParser
import Foundation
import LocalStack
import Logging
import PipelineCore

/// `collections local ...`: the pipeline on this machine, wired as on AWS.
struct LocalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local",
        abstract: "Run the whole pipeline on this machine: PostgreSQL, moto, the stand-ins and the three functions.",
        discussion: """
            The bucket, bus, rules, timeouts and retry policies come from infrastructure/template.yaml. Uploads \
            with `aws s3 cp` and events sent with `aws events put-events` reach the functions as on AWS.
            """,
        subcommands: [
            LocalUpCommand.self, LocalDownCommand.self, LocalStatusCommand.self, LocalLogsCommand.self,
            LocalFailuresCommand.self, LocalRedriveCommand.self, LocalEnvCommand.self, LocalWaitCommand.self,
            LocalRunCommand.self, LocalMetricsCommand.self,
        ])
}

/// Where the stack's state lives.
struct StateOptions: ParsableArguments {
    @Option(
        name: .customLong("state-dir"),
        help: "The stack's state folder (default: $COLLECTIONS_LOCAL_DIR, else .collections/local in the checkout).")
    var stateDirectory: String?

    /// The paths.
    func paths() throws -> StackPaths { try StackPaths.current(stateOverride: stateDirectory) }

    /// The control for the stack.
    func control() throws -> StackControl {
        StackControl(paths: try paths(), logger: Logger(label: "local"))
    }

    /// The running stack, or an error saying how to start one.
    func requireState() throws -> StackState {
        guard let state = try control().current() else {
            throw ValidationError("no local stack is up: run `collections local up`")
        }
        return state
    }
}
