import Foundation
import PipelineCore

/// Creates the stack's resources in the emulator as the template declares them: the bucket with
/// EventBridge notifications, the bus, each function's queue (visibility, retention, redrive
/// policy) and dead-letter queue, each rule with its queue as the target, and the SSM parameters.
/// Every step is idempotent, so `up` on a running stack changes nothing.
public struct Provisioner: Sendable {
    let client: AWSClient
    let endpoint: AWSEndpoint
    let stackName: String

    /// Creates a provisioner for an emulator endpoint.
    public init(client: AWSClient, endpoint: AWSEndpoint, stackName: String) {
        self.client = client
        self.endpoint = endpoint
        self.stackName = stackName
    }

    /// The queues made for one function.
    public struct FunctionQueues: Sendable {
        /// The queue the function's rules deliver to.
        public var queueURL: String
        /// Its dead-letter queue.
        public var deadLetterURL: String
    }

    /// Creates everything.
    /// - Parameter parameters: SSM SecureString values by name.
    /// - Returns: the queues per function logical id.
    public func provision(_ topology: PipelineTopology, parameters: [String: String]) async throws -> [String:
        FunctionQueues]
    {
        let s3 = S3Client(client: client, endpoint: endpoint, pathStyle: true)
        try await s3.createBucket(topology.bucketName)
        try await s3.enableEventBridgeNotifications(topology.bucketName)
        try await events(
            "CreateEventBus", ["Name": .init(topology.busName)], ignoring: "ResourceAlreadyExistsException")

        let sqs = SQSClient(client: client, endpoint: endpoint)
        var queues: [String: FunctionQueues] = [:]
        for function in topology.functions {
            let deadLetter = try await sqs.createQueue(function.queue.deadLetterName)
            try await sqs.setAttributes(of: deadLetter, ["MessageRetentionPeriod": "1209600"])
            let deadLetterARN = try await sqs.attributes(of: deadLetter, names: ["QueueArn"])["QueueArn"] ?? ""
            let queue = try await sqs.createQueue(function.queue.name)
            let redrive = try String(
                decoding: JSONEncoder().encode(
                    RedrivePolicy(deadLetterTargetArn: deadLetterARN, maxReceiveCount: function.queue.maxReceiveCount)),
                as: UTF8.self)
            try await sqs.setAttributes(
                of: queue,
                [
                    "VisibilityTimeout": "\(function.queue.visibilityTimeoutSeconds)",
                    "MessageRetentionPeriod": "\(function.queue.retentionSeconds)", "RedrivePolicy": redrive,
                ])
            queues[function.logicalID] = FunctionQueues(queueURL: queue, deadLetterURL: deadLetter)
        }
        for rule in topology.rules {
            guard let queue = queues[rule.function] else { continue }
            let arn = try await sqs.attributes(of: queue.queueURL, names: ["QueueArn"])["QueueArn"] ?? ""
            let name = "\(stackName)-\(rule.logicalID)"
            var input: [String: AnyEncodable] = [
                "Name": .init(name), "EventPattern": .init(rule.pattern), "State": .init("ENABLED"),
            ]
            if let bus = rule.busName { input["EventBusName"] = .init(bus) }
            try await events("PutRule", input)
            var targets: [String: AnyEncodable] = [
                "Rule": .init(name), "Targets": .init([["Id": "queue", "Arn": arn]]),
            ]
            if let bus = rule.busName { targets["EventBusName"] = .init(bus) }
            try await events("PutTargets", targets)
        }
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            let input: [String: AnyEncodable] = [
                "Name": .init(name), "Value": .init(value), "Type": .init("SecureString"), "Overwrite": .init(true),
            ]
            _ = try await client.callJSON(
                "AmazonSSM.PutParameter", input: input, as: Empty.self, service: .ssm, endpoint: endpoint)
        }
        return queues
    }

    private struct Empty: Decodable {}

    private struct RedrivePolicy: Encodable {
        var deadLetterTargetArn: String
        var maxReceiveCount: Int
    }

    private func events(_ operation: String, _ input: [String: AnyEncodable], ignoring code: String? = nil)
        async throws
    {
        do {
            _ = try await client.callJSON(
                "AWSEvents.\(operation)", input: input, as: Empty.self, service: .eventBridge, endpoint: endpoint)
        } catch let error as AWSError where error.code == code {
            return
        }
    }
}
