import ArgumentParser
import Deploy
import Foundation

/// `collections destroy --stack NAME`: deletes a deployed stack and says what it keeps.
struct DestroyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destroy",
        abstract: "Delete a deployed stack (DeleteStack), following its events; keeps the data it does not own.",
        discussion: """
            Asks for the stack's name as confirmation on a terminal unless --yes; without a terminal and \
            without --yes it refuses. The database, the SSM parameters and the artifact bucket are not part \
            of the stack and stay. CloudFormation deletes the upload bucket only when it is empty (the \
            template gives it no DeletionPolicy): with photos in it the deletion stops there.
            """)

    @Option(help: "The CloudFormation stack's name.") var stack: String
    @Option(help: "The AWS region (default: the one deploy saved, else AWS_REGION).") var region: String?
    @Flag(help: "Do not ask for confirmation.") var yes = false
    @OptionGroup var template: TemplateOption

    func run() async throws {
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        do {
            let saved = try DeployChoices.load(from: current).stacks[stack]
            let aws = try DeployAWS(environment: ProcessInfo.processInfo.environment, region: region ?? saved?.region)
            let destroyer = Destroyer(aws: aws, template: try DeployTemplate(file: template.file(from: current)))
            let description = try await destroyer.stack(stack)
            if !yes {
                guard TerminalPrompt.isInteractive else {
                    throw DeployError(
                        "refusing to delete stack \(stack) unconfirmed: there is no terminal to ask on; pass --yes")
                }
                let answer = TerminalPrompt.ask(
                    "Delete stack \(stack) in \(aws.region) (its functions, queues, rules, roles and logs)? "
                        + "Type its name to confirm: ")
                guard answer == stack else { throw DeployError("not confirmed: stack \(stack) left as it is") }
            }
            try await destroyer.destroy(description) { print($0) }
        } catch let error as DeployError {
            printError(error.description)
            throw ExitCode.failure
        }
    }
}
