import Foundation
import Logging
import PipelineCore

/// `collections deploy`: archives to the artifact bucket, secrets to Parameter Store, migrations,
/// then the stack through a change set, its events as they happen, and its outputs.
public struct Deployer: Sendable {
    /// What was asked for on the command line.
    public struct Request: Sendable {
        public var stack: String
        /// Region, artifact bucket and parameters given now (they override the saved ones).
        public var choices: DeployChoices.Stack
        /// A folder holding the three zips; nil builds them with `scripts/package`.
        public var archives: URL?
        public var createBucket = false
        public var skipMigrations = false
        public var dryRun = false

        /// Creates a request.
        public init(stack: String, choices: DeployChoices.Stack, archives: URL? = nil) {
            self.stack = stack
            self.choices = choices
            self.archives = archives
        }
    }

    /// The repository (for `scripts/package`).
    public let repository: URL
    /// The template (`infrastructure/template.yaml`).
    public let templateFile: URL
    /// Where the choices file lives.
    public let workingDirectory: URL
    /// The process environment (credentials, endpoints, secrets).
    public let environment: [String: String]
    /// Time between polls of a change set or a stack operation.
    public var poll: Duration = .seconds(3)

    /// Creates a deployer.
    public init(repository: URL, templateFile: URL, workingDirectory: URL, environment: [String: String]) {
        self.repository = repository
        self.templateFile = templateFile
        self.workingDirectory = workingDirectory
        self.environment = environment
    }

    /// Deploys; prints as it goes.
    /// - Throws: ``DeployError`` (or an ``AWSError``) saying what failed.
    public func deploy(_ request: Request, say: (String) -> Void) async throws {
        var saved = try DeployChoices.load(from: workingDirectory)
        let choices = (saved.stacks[request.stack] ?? .init()).overridden(by: request.choices)
        guard let bucket = choices.artifactBucket else {
            throw DeployError(
                "no artifact bucket for stack \(request.stack): pass --artifact-bucket NAME (add --create-bucket to make it)"
            )
        }
        let template = try DeployTemplate(file: templateFile)
        try template.checkKeys(choices.parameters)
        let aws = try DeployAWS(environment: environment, region: choices.region)
        say("stack \(request.stack) in \(aws.region), artifacts in s3://\(bucket)")

        // 1. Archives, content-addressed.
        let folder: URL
        if let archives = request.archives {
            folder = archives
        } else {
            folder = try await Artifacts.build(repository: repository)
        }
        let artifacts = try Artifacts(directory: folder)
        // The template's Architecture is the archives', so an arm64 build is never deployed as x86_64.
        let architecture = try artifacts.architecture()
        if let architecture {
            if let asked = choices.parameters["Architecture"], asked != architecture {
                throw DeployError(
                    "the archives are built for \(architecture), but Architecture=\(asked) was asked for: "
                        + "build them on a machine of that architecture, or leave the parameter out")
            }
            say("archives built for \(architecture)")
        }
        if try await !aws.s3.bucketExists(bucket) {
            guard request.createBucket, !request.dryRun else {
                throw DeployError(
                    "the artifact bucket \(bucket) does not exist in \(aws.region): pass --create-bucket to create it"
                        + (request.dryRun ? " (a dry run creates nothing)" : ""))
            }
            try await aws.s3.createBucket(bucket)
            say("created bucket s3://\(bucket)")
        }
        if request.dryRun {
            say("archives (dry run: not uploaded):")
            for archive in artifacts.archives { say("  \(archive.function): s3://\(bucket)/\(archive.key)") }
        } else {
            say("archives:")
            _ = try await artifacts.upload(to: bucket, s3: aws.s3, say: say)
        }

        // 2. Secrets.
        let secrets = Secrets(template: template, parameters: choices.parameters)
        let (outcomes, givenDatabaseURL) = try await secrets.put(
            ssm: aws.ssm, environment: environment, dryRun: request.dryRun, interactive: TerminalPrompt.isInteractive,
            ask: { TerminalPrompt.ask($0, secret: true) })
        say("secrets (SSM Parameter Store, SecureString):")
        for (secret, outcome) in outcomes {
            let what =
                switch outcome {
                case .written: "written from \(secret.variable)"
                case .kept: "kept (exists; set \(secret.variable) to replace it)"
                case .wouldWrite: "would be written (dry run)"
                }
            say("  \(secret.name): \(what)")
        }

        // 3. Migrations.
        if request.skipMigrations || request.dryRun {
            say("migrations: skipped" + (request.dryRun ? " (dry run)" : " (--skip-migrations)"))
        } else {
            let databaseParameter = secrets.secrets.first { $0.variable == "DATABASE_URL" }?.name
            var url = givenDatabaseURL
            if url == nil, let databaseParameter { url = try await aws.ssm.value(of: databaseParameter) }
            guard let url else { throw DeployError("no database URL: set DATABASE_URL or pass --skip-migrations") }
            try await migrate(url: url, say: say)
        }

        // 4. The stack, through a change set.
        var parameters = choices.parameters
        parameters["ArtifactBucket"] = bucket
        if let architecture { parameters["Architecture"] = architecture }
        for archive in artifacts.archives { parameters[archive.parameter] = archive.key }
        let stackSet = ChangeSetDeploy(cloudFormation: aws.cloudFormation, s3: aws.s3, poll: poll)
        let deployed = try await stackSet.run(
            stack: request.stack, template: template, parameters: parameters, artifactBucket: bucket,
            dryRun: request.dryRun, say: say)
        guard !request.dryRun else { return }

        // 5. Outputs, and what to try; then remember the choices.
        if let deployed {
            say("outputs:")
            say(StackReport.outputs(deployed.outputs))
            say(
                StackReport.tryIt(
                    stack: deployed.name, outputs: deployed.outputs, databaseParameter: secrets.secrets.first?.name))
        }
        saved.stacks[request.stack] = DeployChoices.Stack(
            region: aws.region, artifactBucket: bucket, parameters: choices.parameters)
        try saved.save(to: workingDirectory)
        say("choices saved to \(DeployChoices.fileName) (no secrets)")
    }

    private func migrate(url: String, say: (String) -> Void) async throws {
        let database = try Database(url: url, logger: Logger(label: "postgres"))
        let applied = try await database.closing { try await Migrator(database: $0).migrate() }
        say(applied.isEmpty ? "migrations: schema is current" : "migrations: applied \(applied.count)")
        for migration in applied { say("  \(String(format: "%04d", migration.version))_\(migration.name)") }
    }
}

/// The AWS clients `deploy` and `destroy` use, for one region.
public struct DeployAWS: Sendable {
    public let region: String
    public let s3: S3Client
    public let ssm: SSMClient
    public let cloudFormation: CloudFormationClient

    /// Clients from the standard variables, in `region` when given (else `AWS_REGION`).
    public init(environment: [String: String], region: String?) throws {
        var environment = environment
        if let region { environment["AWS_REGION"] = region }
        let client = AWSClient(credentials: try AWSCredentials(environment: environment), timeout: .seconds(120))
        s3 = S3Client(client: client, endpoint: try AWSEndpoint.resolve(.s3, environment: environment))
        ssm = SSMClient(client: client, endpoint: try AWSEndpoint.resolve(.ssm, environment: environment))
        cloudFormation = CloudFormationClient(
            client: client, endpoint: try AWSEndpoint.resolve(.cloudFormation, environment: environment))
        self.region = cloudFormation.endpoint.region
    }
}
