import Foundation
import PipelineCore

/// The moto servers `scripts/moto` starts for the test run: one verifying SigV4 with an IAM
/// user's key, one open (for S3 keys moto's verifier wrongly refuses).
public struct MotoServer: Sendable {
    /// `http://127.0.0.1:PORT`.
    public var url: String
    /// The key requests are signed with.
    public var credentials: AWSCredentials
    /// The region everything lives in.
    public var region = "us-east-1"

    /// The verifying server, from `COLLECTIONS_TEST_MOTO_URL` and its key variables.
    public static let verifying: MotoServer? = {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["COLLECTIONS_TEST_MOTO_URL"],
            let id = environment["COLLECTIONS_TEST_MOTO_ACCESS_KEY_ID"],
            let secret = environment["COLLECTIONS_TEST_MOTO_SECRET_ACCESS_KEY"]
        else { return nil }
        return MotoServer(url: url, credentials: AWSCredentials(accessKeyID: id, secretAccessKey: secret))
    }()

    /// The open server, from `COLLECTIONS_TEST_MOTO_OPEN_URL`.
    public static let open: MotoServer? = ProcessInfo.processInfo.environment["COLLECTIONS_TEST_MOTO_OPEN_URL"].map {
        MotoServer(url: $0, credentials: AWSCredentials(accessKeyID: "AKIDOPEN", secretAccessKey: "open"))
    }

    /// Whether moto tests run (always under scripts/test, which fails them when moto is missing).
    public static let enabled = verifying != nil || TestEnvironment.integrationRequired

    /// The verifying server, or an error saying how to start it.
    public static func requireVerifying() throws -> MotoServer {
        guard let verifying else { throw TestSetupError("moto is not running: run the tests with scripts/test") }
        return verifying
    }

    /// The open server, or an error saying how to start it.
    public static func requireOpen() throws -> MotoServer {
        guard let open else { throw TestSetupError("moto is not running: run the tests with scripts/test") }
        return open
    }

    /// A client signing with this server's key (or with `credentials`).
    public func client(_ credentials: AWSCredentials? = nil) -> AWSClient {
        AWSClient(credentials: credentials ?? self.credentials, retry: .none, timeout: .seconds(20))
    }

    /// The endpoint, for any service.
    public var endpoint: AWSEndpoint {
        try! AWSEndpoint(url: url, region: region, variable: "COLLECTIONS_TEST_MOTO_URL")
    }

    /// The variables that point a stage binary at this server.
    public var environment: [String: String] {
        [
            "AWS_REGION": region, "AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": credentials.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": credentials.secretAccessKey,
        ]
    }

    /// Calls a JSON-protocol operation with a dictionary input; returns the output dictionary.
    @discardableResult
    public func call(
        _ service: AWSService, _ target: String, _ input: [String: Any], jsonVersion: String = "1.1"
    ) async throws -> [String: Any] {
        let request = AWSRequest(
            operation: target, method: "POST",
            headers: [("content-type", "application/x-amz-json-\(jsonVersion)"), ("x-amz-target", target)],
            body: try JSONSerialization.data(withJSONObject: input))
        let response = try await client().send(request, service: service, endpoint: endpoint)
        return (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]) ?? [:]
    }

    /// Creates a bus, an SQS queue, and a rule sending every event on the bus to the queue.
    /// - Returns: the queue's URL.
    public func busDeliveringToQueue(_ name: String) async throws -> String {
        try await call(.eventBridge, "AWSEvents.CreateEventBus", ["Name": name])
        let queue = try await call(.sqs, "AmazonSQS.CreateQueue", ["QueueName": name], jsonVersion: "1.0")
        let queueURL = queue["QueueUrl"] as! String
        let attributes = try await call(
            .sqs, "AmazonSQS.GetQueueAttributes", ["QueueUrl": queueURL, "AttributeNames": ["QueueArn"]],
            jsonVersion: "1.0")
        let queueARN = (attributes["Attributes"] as! [String: String])["QueueArn"]!
        let pattern = #"{"source":[{"prefix":""}]}"#
        try await call(
            .eventBridge, "AWSEvents.PutRule", ["Name": "\(name)-all", "EventBusName": name, "EventPattern": pattern])
        try await call(
            .eventBridge, "AWSEvents.PutTargets",
            ["Rule": "\(name)-all", "EventBusName": name, "Targets": [["Id": "queue", "Arn": queueARN]]])
        return queueURL
    }

    /// Receives and deletes messages until `count` arrived or `timeout` passed.
    public func receive(_ count: Int, from queueURL: String, timeout: Duration = .seconds(20)) async throws
        -> [String]
    {
        var bodies: [String] = []
        let start = ContinuousClock.now
        while bodies.count < count, ContinuousClock.now - start < timeout {
            let output = try await call(
                .sqs, "AmazonSQS.ReceiveMessage",
                ["QueueUrl": queueURL, "MaxNumberOfMessages": 10, "WaitTimeSeconds": 1], jsonVersion: "1.0")
            for message in output["Messages"] as? [[String: Any]] ?? [] {
                bodies.append(message["Body"] as! String)
                try await call(
                    .sqs, "AmazonSQS.DeleteMessage",
                    ["QueueUrl": queueURL, "ReceiptHandle": message["ReceiptHandle"] as! String], jsonVersion: "1.0")
            }
        }
        return bodies
    }

    /// Runs the `aws` CLI (`COLLECTIONS_AWS_CLI`) against this server.
    public func aws(_ arguments: [String]) async throws -> Products.Outcome {
        guard let cli = ProcessInfo.processInfo.environment["COLLECTIONS_AWS_CLI"] else {
            throw TestSetupError("COLLECTIONS_AWS_CLI is not set: run the tests with scripts/test")
        }
        return try await Products.start(
            program: URL(fileURLWithPath: cli), arguments: ["--endpoint-url", url, "--output", "json"] + arguments,
            environment: environment.merging(["AWS_DEFAULT_REGION": region]) { $1 }
        ).wait(timeout: .seconds(60))
    }

    /// A name no other test uses.
    public static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}
