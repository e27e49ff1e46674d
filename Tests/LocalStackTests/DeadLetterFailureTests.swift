import Foundation
import PipelineCore
import Testing

@testable import LocalStack

/// How a dead-lettered message reads, and how a deployed stack's outputs become functions.
@Suite struct DeadLetterFailureTests {
    static let event = """
        {"detail-type":"ImageProcessed","source":"collections.imageprocessor",\
        "detail":{"item_id":"i1","original_key":"alice/a.jpg"}}
        """

    static func message(attributes: [String: String], messageAttributes: [String: String]) throws -> SQSMessage {
        let json: [String: Any] = [
            "MessageId": "m1", "ReceiptHandle": "r1", "Body": event, "Attributes": attributes,
            "MessageAttributes": messageAttributes.mapValues { ["DataType": "String", "StringValue": $0] },
        ]
        return try JSONDecoder().decode(SQSMessage.self, from: JSONSerialization.data(withJSONObject: json))
    }

    @Test func aFailureTheFunctionWroteKeepsItsError() throws {
        let message = try Self.message(
            attributes: ["SentTimestamp": "1700000000000", "ApproximateReceiveCount": "5"],
            messageAttributes: [
                "ERROR_TYPE": "StageError.missingField", "ERROR_MESSAGE": "no item_id", "ATTEMPTS": "3",
                "FUNCTION": "x",
            ])
        let failure = DeadLetters.Failure(message, function: "collections-analyzer", source: nil)
        #expect(failure.function == "collections-analyzer" && failure.attempts == 3 && !failure.movedByRedrivePolicy)
        #expect(failure.error == "StageError.missingField: no item_id")
        #expect(failure.detailType == "ImageProcessed" && failure.failedAt == 1_700_000_000)
    }

    @Test func aMessageTheQueueMovedSaysNoErrorWasRecorded() throws {
        let queueARN = "arn:aws:sqs:us-east-1:123456789012:analyzer"
        // Received once more by the listing: the policy's count, not the message's, is the answer.
        let moved = try Self.message(
            attributes: ["ApproximateReceiveCount": "6", "DeadLetterQueueSourceArn": queueARN], messageAttributes: [:])
        let failure = DeadLetters.Failure(
            moved, function: "f", source: SourceQueuePolicy(queueARN: queueARN, maxReceiveCount: 4))
        #expect(failure.movedByRedrivePolicy && failure.attempts == 4 && failure.errorType.isEmpty)
        #expect(
            failure.error
                == "no error recorded: moved by the queue's redrive policy after 4 receives (a timeout or crash;"
                + " see the function's logs)")
        #expect(failure.sourceQueueARN == queueARN)

        // From another queue, or with no policy known: its own count, less the listing's receive.
        let elsewhere = DeadLetters.Failure(
            try Self.message(
                attributes: ["ApproximateReceiveCount": "3", "DeadLetterQueueSourceArn": queueARN + "-old"],
                messageAttributes: [:]),
            function: "f", source: SourceQueuePolicy(queueARN: queueARN, maxReceiveCount: 4))
        #expect(elsewhere.attempts == 2 && elsewhere.errorMessage.hasSuffix("; moved from \(queueARN)-old"))
        let unknown = DeadLetters.Failure(
            try Self.message(attributes: ["ApproximateReceiveCount": "3"], messageAttributes: [:]), function: "f",
            source: nil)
        #expect(unknown.attempts == 2 && unknown.errorMessage.contains("after 2 receives"))
    }

    @Test func aStacksOutputsNameItsFunctionsAndQueues() throws {
        var outputs: [String: String] = [:]
        for executable in DeadLetters.deployedExecutables {
            outputs["\(executable)FunctionName"] = "s-\(executable)"
            outputs["\(executable)QueueUrl"] = "https://q/\(executable)"
            outputs["\(executable)DeadLetterQueueUrl"] = "https://q/\(executable)-dlq"
        }
        let functions = try DeadLetters.functions(
            of: StackDescription(name: "s", status: "CREATE_COMPLETE", outputs: outputs), region: "eu-west-1")
        #expect(functions.map(\.executable) == ["ImageProcessor", "Analyzer", "Embedder"])
        #expect(
            functions[1]
                == DeadLetters.Function(
                    name: "s-Analyzer", executable: "Analyzer", queueURL: "https://q/Analyzer",
                    deadLetterURL: "https://q/Analyzer-dlq"))

        outputs["AnalyzerQueueUrl"] = nil
        outputs["EmbedderFunctionName"] = ""
        let error = #expect(throws: LocalStackError.self) {
            try DeadLetters.functions(
                of: StackDescription(name: "s", status: "UPDATE_COMPLETE", outputs: outputs), region: "eu-west-1")
        }
        #expect(
            error?.description.hasPrefix(
                "stack s (eu-west-1, UPDATE_COMPLETE) has no output AnalyzerQueueUrl, EmbedderFunctionName:") == true,
            "\(String(describing: error))")
    }
}
