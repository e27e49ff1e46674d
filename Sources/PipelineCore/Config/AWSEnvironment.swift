import Foundation

/// The AWS side of a stage binary's wiring: credentials, region and endpoints from the standard
/// variables, one signed client for every service, and the local folders when configured.
public struct AWSEnvironment: Sendable {
    /// The process environment.
    public let environment: [String: String]
    /// The pipeline's settings.
    public let settings: Settings

    /// Creates the wiring for an environment.
    public init(settings: Settings, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.settings = settings
        self.environment = environment
    }

    /// The signed client, from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`.
    /// - Throws: ``ConfigurationError`` naming a missing variable.
    public func client() throws -> AWSClient {
        AWSClient(credentials: try AWSCredentials(environment: environment))
    }

    /// A folder when `COLLECTIONS_LOCAL_ROOT` is set, otherwise S3.
    public func objectStore(client: @autoclosure () throws -> AWSClient) throws -> any ObjectStore {
        if let root = settings.localObjectRoot { return FileSystemObjectStore(root: URL(fileURLWithPath: root)) }
        return S3Client(client: try client(), endpoint: try AWSEndpoint.resolve(.s3, environment: environment))
    }

    /// A folder of event files when `COLLECTIONS_LOCAL_EVENTS` is set, otherwise EventBridge.
    public func eventBus(client: @autoclosure () throws -> AWSClient) throws -> any EventBus {
        if let folder = settings.localEventFolder { return FolderEventBus(folder: URL(fileURLWithPath: folder)) }
        return EventBridgeClient(
            client: try client(), endpoint: try AWSEndpoint.resolve(.eventBridge, environment: environment))
    }

    /// SSM Parameter Store, each parameter read once per process.
    public func parameterStore(client: @autoclosure () throws -> AWSClient) throws -> any ParameterStore {
        CachedParameterStore(
            SSMClient(client: try client(), endpoint: try AWSEndpoint.resolve(.ssm, environment: environment)))
    }

    /// SQS: the functions settle failed messages, the tool lists and redrives dead letters.
    public func sqs(client: @autoclosure () throws -> AWSClient) throws -> SQSClient {
        SQSClient(client: try client(), endpoint: try AWSEndpoint.resolve(.sqs, environment: environment))
    }

    /// CloudFormation, for the command-line tool to read a deployed stack's outputs.
    public func cloudFormation(client: @autoclosure () throws -> AWSClient) throws -> CloudFormationClient {
        CloudFormationClient(
            client: try client(), endpoint: try AWSEndpoint.resolve(.cloudFormation, environment: environment))
    }

    /// Settles the failed messages of an SQS batch for `function`, with the ``QueuePolicy`` the
    /// environment sets; nil without AWS credentials (a local `--event` run), which leaves failed
    /// messages to the queue's visibility timeout and redrive policy.
    /// - Throws: ``ConfigurationError`` for a malformed policy variable.
    public func messageSettler(function: String) throws -> MessageSettler? {
        let policy = try QueuePolicy(environment: environment)
        guard let client = try? client() else { return nil }
        return MessageSettler(
            sqs: try sqs(client: client), policy: policy, function: function)
    }
}
