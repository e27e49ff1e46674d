import Foundation
import PipelineCore

@testable import TestSupport

/// A tiny CloudFormation stack on moto with what `collections failures | redrive --stack` read:
/// for each function a source queue whose redrive policy moves a message to its dead-letter
/// queue after two receives, and the outputs `<F>QueueUrl`, `<F>DeadLetterQueueUrl` and
/// `<F>FunctionName`. No functions: the outputs only name them.
struct DeadLetterStackFixture {
    let moto: MotoServer
    let name: String
    /// The stack's outputs.
    var outputs: [String: String] = [:]

    /// The template: three queue pairs and their outputs.
    static var template: String {
        var resources = ""
        var outputs = ""
        for executable in ["ImageProcessor", "Analyzer", "Embedder"] {
            resources += """
                  \(executable)DeadLetterQueue:
                    Type: AWS::SQS::Queue
                  \(executable)Queue:
                    Type: AWS::SQS::Queue
                    Properties:
                      RedrivePolicy:
                        deadLetterTargetArn: !GetAtt \(executable)DeadLetterQueue.Arn
                        maxReceiveCount: 2

                """
            outputs += """
                  \(executable)QueueUrl:
                    Value: !Ref \(executable)Queue
                  \(executable)DeadLetterQueueUrl:
                    Value: !Ref \(executable)DeadLetterQueue
                  \(executable)FunctionName:
                    Value: !Sub "${AWS::StackName}-\(executable.lowercased())"

                """
        }
        return "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n\(resources)Outputs:\n\(outputs)"
    }

    /// A stack with one queue and only its `ImageProcessorQueueUrl` output.
    static let partialTemplate = """
        AWSTemplateFormatVersion: '2010-09-09'
        Resources:
          Queue:
            Type: AWS::SQS::Queue
        Outputs:
          ImageProcessorQueueUrl:
            Value: !Ref Queue
        """

    /// Creates a stack from `template` and waits until it is complete.
    static func create(on moto: MotoServer, template: String = template) async throws -> DeadLetterStackFixture {
        var fixture = DeadLetterStackFixture(moto: moto, name: MotoServer.uniqueName("redrive"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(fixture.name).yaml")
        try template.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        _ = try await fixture.aws(
            ["cloudformation", "create-stack", "--stack-name", fixture.name, "--template-body", "file://\(file.path)"])
        let start = ContinuousClock.now
        while true {
            let stacks = try await fixture.aws(["cloudformation", "describe-stacks", "--stack-name", fixture.name])
            let stack = (stacks["Stacks"] as? [[String: Any]])?.first ?? [:]
            let status = stack["StackStatus"] as? String ?? "?"
            if status == "CREATE_COMPLETE" {
                for output in stack["Outputs"] as? [[String: Any]] ?? [] {
                    if let key = output["OutputKey"] as? String {
                        fixture.outputs[key] = output["OutputValue"] as? String
                    }
                }
                return fixture
            }
            guard status == "CREATE_IN_PROGRESS", ContinuousClock.now - start < .seconds(30) else {
                throw TestSetupError("stack \(fixture.name) is \(status): \(stack["StackStatusReason"] ?? "")")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Deletes the stack (and with it its queues).
    func delete() async throws {
        _ = try await aws(["cloudformation", "delete-stack", "--stack-name", name])
    }

    /// An output, or an error naming it.
    func output(_ key: String) throws -> String {
        guard let value = outputs[key] else { throw TestSetupError("stack \(name) has no output \(key)") }
        return value
    }

    /// Puts a message in a dead-letter queue as our function does on its last failed attempt.
    func deadLetterAsTheFunctionDoes(_ executable: String, body: String, error: (type: String, message: String))
        async throws
    {
        try await sqs(
            "SendMessage",
            [
                "QueueUrl": try output("\(executable)DeadLetterQueueUrl"), "MessageBody": body,
                "MessageAttributes": [
                    "ERROR_TYPE": error.type, "ERROR_MESSAGE": error.message, "FUNCTION": "\(name)-x", "ATTEMPTS": "3",
                ].mapValues { ["DataType": "String", "StringValue": $0] },
            ])
    }

    /// Puts a message in a function's queue and receives it until SQS's redrive policy moves it
    /// to the dead-letter queue, as after two timeouts.
    func deadLetterByTheRedrivePolicy(_ executable: String, body: String) async throws {
        let queueURL = try output("\(executable)QueueUrl")
        try await sqs("SendMessage", ["QueueUrl": queueURL, "MessageBody": body])
        for _ in 0..<3 {
            try await sqs("ReceiveMessage", ["QueueUrl": queueURL, "VisibilityTimeout": 0, "MaxNumberOfMessages": 10])
        }
    }

    /// Receives (and deletes) everything in a queue: bodies and message attribute names.
    func takeAll(_ queueURL: String) async throws -> [(body: String, attributes: [String])] {
        var taken: [(body: String, attributes: [String])] = []
        while true {
            let output = try await sqs(
                "ReceiveMessage", ["QueueUrl": queueURL, "MaxNumberOfMessages": 10, "MessageAttributeNames": ["All"]])
            let messages = output["Messages"] as? [[String: Any]] ?? []
            if messages.isEmpty { return taken }
            for message in messages {
                let attributes = (message["MessageAttributes"] as? [String: Any])?.keys.sorted() ?? []
                taken.append((message["Body"] as? String ?? "", attributes))
                try await sqs(
                    "DeleteMessage", ["QueueUrl": queueURL, "ReceiptHandle": message["ReceiptHandle"] as? String ?? ""])
            }
        }
    }

    /// Messages in a queue, visible or not (a received message not deleted still counts).
    func messageCount(_ queueURL: String) async throws -> Int {
        let names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        let output = try await sqs("GetQueueAttributes", ["QueueUrl": queueURL, "AttributeNames": names])
        let attributes = output["Attributes"] as? [String: String] ?? [:]
        return names.compactMap { attributes[$0].flatMap(Int.init) }.reduce(0, +)
    }

    @discardableResult
    private func sqs(_ operation: String, _ input: [String: Any]) async throws -> [String: Any] {
        try await moto.call(.sqs, "AmazonSQS.\(operation)", input, jsonVersion: "1.0")
    }

    private func aws(_ arguments: [String]) async throws -> [String: Any] {
        let outcome = try await moto.aws(arguments)
        guard outcome.status == 0 else { throw TestSetupError("aws \(arguments[1]) failed: \(outcome.stderr)") }
        if outcome.stdout.allSatisfy(\.isWhitespace) { return [:] }
        return try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any] ?? [:]
    }
}
