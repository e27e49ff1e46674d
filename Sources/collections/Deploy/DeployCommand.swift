import ArgumentParser
import Deploy
import Foundation

/// `collections deploy --stack NAME`: everything the README's manual deploy did, in one command.
struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract:
            "Build, upload and deploy the pipeline to AWS: archives, secrets, migrations, then the stack's change set.",
        discussion: """
            Builds the archives with scripts/package (or takes --archives DIR), uploads each to the \
            artifact bucket as collections/<Function>-<sha256 prefix>.zip unless that key is there, puts \
            the database URL, Anthropic key (not with ClaudeProvider=bedrock) and Voyage key into SSM \
            Parameter Store as SecureString from DATABASE_URL, ANTHROPIC_API_KEY and VOYAGE_API_KEY (or \
            asks, without echo, on a terminal; an existing parameter is kept when no value is given), runs \
            the migrations, then creates or updates the stack through a change set, printing its changes \
            and events, and finally its outputs.

            Choices (region, artifact bucket, --parameter values; never secrets) are saved to \
            collections-deploy.json in the working directory and used by the next deploy of the stack; \
            values given on the command line replace the saved ones.

            --dry-run writes nothing: no upload, no secret, no migration, no saved choices. It creates the \
            change set, prints it and deletes it (for a new stack, also the empty REVIEW_IN_PROGRESS stack \
            CloudFormation makes for it). The only exception: a template over CloudFormation's 51,200-byte \
            TemplateBody limit is uploaded to the artifact bucket, where CloudFormation reads it.

            AWS credentials, region and endpoints come from the standard variables (AWS_ACCESS_KEY_ID, \
            AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_ENDPOINT_URL...).
            """)

    @Option(help: "The CloudFormation stack's name.") var stack: String
    @Option(help: "The AWS region (default: the saved one, else AWS_REGION).") var region: String?
    @Option(help: "The S3 bucket for the archives (saved for the next deploy).") var artifactBucket: String?
    @Flag(help: "Create the artifact bucket if it does not exist.") var createBucket = false
    @Option(help: "A folder holding ImageProcessor.zip, Analyzer.zip and Embedder.zip (default: run scripts/package).")
    var archives: String?
    @Option(name: .customLong("parameter"), help: "A template parameter, Key=Value (repeatable; saved).")
    var parameters: [String] = []
    @Flag(help: "Do not run the migrations (the database is not reachable from here).") var skipMigrations = false
    @Flag(help: "Show the change set without executing it, and write nothing (see above).") var dryRun = false
    @OptionGroup var template: TemplateOption

    func run() async throws {
        var given: [String: String] = [:]
        for parameter in parameters {
            guard let equals = parameter.firstIndex(of: "="), equals != parameter.startIndex else {
                throw ValidationError("--parameter takes Key=Value, not \(parameter)")
            }
            given[String(parameter[..<equals])] = String(parameter[parameter.index(after: equals)...])
        }
        var request = Deployer.Request(
            stack: stack, choices: .init(region: region, artifactBucket: artifactBucket, parameters: given),
            archives: archives.map { URL(fileURLWithPath: $0) })
        request.createBucket = createBucket
        request.skipMigrations = skipMigrations
        request.dryRun = dryRun
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let templateFile = template.file(from: current)
        let deployer = Deployer(
            repository: templateFile.deletingLastPathComponent().deletingLastPathComponent(),
            templateFile: templateFile, workingDirectory: current, environment: ProcessInfo.processInfo.environment)
        do {
            try await deployer.deploy(request) { print($0) }
        } catch let error as DeployError {
            printError(error.description)
            throw ExitCode.failure
        }
    }
}

/// Which template to deploy; its repository also holds `scripts/package`.
struct TemplateOption: ParsableArguments {
    @Option(
        help: "The template (default: infrastructure/template.yaml in the repository holding the working directory).")
    var template: String?

    /// The template file: given, else found from `directory` upwards.
    func file(from directory: URL) -> URL {
        if let template { return URL(fileURLWithPath: template) }
        var candidate = directory
        while candidate.path != "/" {
            let file = candidate.appendingPathComponent("infrastructure/template.yaml")
            if FileManager.default.fileExists(atPath: file.path) { return file }
            candidate.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("infrastructure/template.yaml")
    }
}

/// Writes `error: message` to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
}
