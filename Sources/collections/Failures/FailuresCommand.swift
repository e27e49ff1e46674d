import ArgumentParser
import Foundation
import LocalStack
import PipelineCore

/// `collections failures --stack NAME`: a deployed stack's dead-lettered events.
struct FailuresCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failures",
        abstract: "List the events a deployed stack's functions failed (its dead-letter queues), with their errors.",
        discussion: DeployedStackOptions.discussion)

    @OptionGroup var stack: DeployedStackOptions
    @Option(help: "Only this function's failures (Analyzer, or its full name).") var function: String?
    @Flag(help: "One JSON object per failure, with the event.") var json = false

    func run() async throws {
        let letters = try await stack.deadLetters()
        let failures = try await letters.list(function: function)
        try FailureReport.print(failures, json: json, redriveCommand: "collections redrive --stack \(stack.stack)")
    }
}

/// `collections redrive --stack NAME`: sends a deployed stack's dead-lettered events back.
struct RedriveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redrive",
        abstract: "Send a deployed stack's failed events back to their functions' queues for a fresh set of attempts.",
        discussion: DeployedStackOptions.discussion)

    @OptionGroup var stack: DeployedStackOptions
    @Option(help: "Only this function's failures (Analyzer, or its full name).") var function: String?
    @Option(help: "At most this many events in all (default: every one).") var limit: Int?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, not \(limit)") }
    }

    func run() async throws {
        let letters = try await stack.deadLetters()
        FailureReport.print(try await letters.redrive(function: function, limit: limit))
    }
}

/// Which deployed stack, and the AWS wiring to reach it.
struct DeployedStackOptions: ParsableArguments {
    static let discussion = """
        The stack's outputs name each function's queue and dead-letter queue (<F>QueueUrl, \
        <F>DeadLetterQueueUrl, <F>FunctionName). Credentials, region and endpoints come from the \
        standard variables: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, \
        AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_CLOUDFORMATION / _SQS.
        """

    @Option(help: "The CloudFormation stack's name.") var stack: String

    /// The stack's dead-letter queues, from its outputs.
    func deadLetters(environment: [String: String] = ProcessInfo.processInfo.environment) async throws
        -> DeadLetters
    {
        let aws = AWSEnvironment(settings: try Settings(environment: environment), environment: environment)
        let client = try aws.client()
        let cloudFormation = try aws.cloudFormation(client: client)
        let description = try await cloudFormation.describeStack(stack)
        let functions = try DeadLetters.functions(of: description, region: cloudFormation.endpoint.region)
        return DeadLetters(sqs: try aws.sqs(client: client), functions: functions)
    }
}
