import Foundation
import LocalStack
import Testing

@testable import TestSupport

/// `collections failures | redrive --stack NAME` against a CloudFormation stack on moto (the
/// verifying server: every call the tool makes is SigV4-checked), run as a user runs them.
@Suite(.enabled(if: MotoServer.enabled, "needs moto (scripts/test)"))
struct DeployedDeadLettersTests {
    static func event(_ key: String) -> String {
        #"{"version":"0","id":"\#(UUID().uuidString)","detail-type":"ImageProcessed","#
            + #""source":"collections.imageprocessor","detail":{"item_id":"i-\#(key)","original_key":"\#(key)"}}"#
    }

    /// The tool with exactly the moto server's variables (and `PATH`, `HOME`, `LANG`).
    static func collections(_ moto: MotoServer, _ arguments: [String]) async throws -> Products.Outcome {
        try await Products.run(
            "collections", arguments: arguments, environment: moto.environment, timeout: .seconds(60))
    }

    static func failures(_ moto: MotoServer, _ arguments: [String]) async throws -> [DeadLetters.Failure] {
        let outcome = try await collections(moto, ["failures", "--json"] + arguments)
        guard outcome.status == 0 else { throw TestSetupError("failures failed: \(outcome.stderr)") }
        return try outcome.stdout.split(separator: "\n").map {
            try JSONDecoder().decode(DeadLetters.Failure.self, from: Data($0.utf8))
        }
    }

    @Test func bothKindsAreListedAndRedrivenToTheirQueues() async throws {
        let moto = try MotoServer.requireVerifying()
        let stack = try await DeadLetterStackFixture.create(on: moto)
        var failure: (any Error)?
        do { try await check(stack, on: moto) } catch { failure = error }
        try await stack.delete()
        if let failure { throw failure }
    }

    private func check(_ stack: DeadLetterStackFixture, on moto: MotoServer) async throws {
        let moved = Self.event("alice/timeout.jpg")
        let written = Self.event("bob/refused.jpg")
        try await stack.deadLetterByTheRedrivePolicy("ImageProcessor", body: moved)
        try await stack.deadLetterAsTheFunctionDoes(
            "Analyzer", body: written, error: ("AnalysisRefusal.refused", "the model refused bob/refused.jpg"))
        let noError =
            "no error recorded: moved by the queue's redrive policy after 2 receives (a timeout or crash; see the"
            + " function's logs)"

        // Listed twice: nothing consumed, and the count does not grow with the listing's receives.
        for _ in 0..<2 {
            let failures = try await Self.failures(moto, ["--stack", stack.name])
            #expect(failures.count == 2, "\(failures)")
            let processor = try #require(failures.first { $0.subject == "alice/timeout.jpg" })
            #expect(processor.function == "\(stack.name)-imageprocessor")
            #expect(processor.movedByRedrivePolicy && processor.attempts == 2 && processor.error == noError)
            #expect(processor.event == moved && processor.detailType == "ImageProcessed")
            let analyzer = try #require(failures.first { $0.subject == "bob/refused.jpg" })
            #expect(analyzer.function == "\(stack.name)-analyzer" && !analyzer.movedByRedrivePolicy)
            #expect(analyzer.error == "AnalysisRefusal.refused: the model refused bob/refused.jpg")
            #expect(analyzer.attempts == 3 && analyzer.event == written)
        }
        #expect(try await Self.failures(moto, ["--stack", stack.name, "--function", "Analyzer"]).count == 1)

        let table = try await Self.collections(moto, ["failures", "--stack", stack.name])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("function") && table.stdout.contains(noError), "\(table.stdout)")
        #expect(table.stdout.contains("2 failure(s); `collections redrive --stack \(stack.name)`"), "\(table.stdout)")

        // One at a time: --limit 1 takes the first function's, then the rest.
        let first = try await Self.collections(moto, ["redrive", "--stack", stack.name, "--limit", "1"])
        #expect(first.status == 0 && first.stdout.contains("sent 1 event(s) back"), "\(first.stdout)\(first.stderr)")
        #expect(try await Self.failures(moto, ["--stack", stack.name]).map(\.subject) == ["bob/refused.jpg"])
        let rest = try await Self.collections(moto, ["redrive", "--stack", stack.name])
        #expect(rest.status == 0 && rest.stdout.contains("sent 1 event(s) back"), "\(rest.stdout)\(rest.stderr)")
        let line = rest.stdout.split(separator: "\n").first { $0.hasPrefix("Analyzer ") }.map(String.init) ?? ""
        #expect(line.split(separator: " ", omittingEmptySubsequences: true).last == "1", "\(rest.stdout)")
        #expect(try await Self.failures(moto, ["--stack", stack.name]).isEmpty)
        for executable in DeadLetters.deployedExecutables {
            let left = try await stack.messageCount(try stack.output("\(executable)DeadLetterQueueUrl"))
            #expect(left == 0, "\(executable): \(left) message(s) left in the dead-letter queue, hidden or not")
        }

        // Each body is back in its own function's queue, unchanged and without the error attributes.
        let processorQueue = try await stack.takeAll(try stack.output("ImageProcessorQueueUrl"))
        #expect(processorQueue.map(\.body) == [moved] && processorQueue.allSatisfy(\.attributes.isEmpty))
        let analyzerQueue = try await stack.takeAll(try stack.output("AnalyzerQueueUrl"))
        #expect(analyzerQueue.map(\.body) == [written] && analyzerQueue.allSatisfy(\.attributes.isEmpty))
        #expect(try await stack.takeAll(try stack.output("EmbedderQueueUrl")).isEmpty)

        let none = try await Self.collections(moto, ["redrive", "--stack", stack.name, "--function", "Embedder"])
        #expect(none.status == 0 && none.stdout.contains("sent 0 event(s) back"), "\(none.stdout)\(none.stderr)")
        let unknown = try await Self.collections(moto, ["redrive", "--stack", stack.name, "--function", "Resizer"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no function Resizer; there are ImageProcessor, Analyzer, Embedder"))
    }

    @Test func aMissingStackOrOutputIsNamed() async throws {
        let moto = try MotoServer.requireVerifying()
        let missing = MotoServer.uniqueName("absent")
        for command in ["failures", "redrive"] {
            let outcome = try await Self.collections(moto, [command, "--stack", missing])
            #expect(outcome.status != 0)
            #expect(
                outcome.stderr.contains("no CloudFormation stack \(missing) in region \(moto.region)"),
                "\(outcome.stderr)")
        }

        let partial = try await DeadLetterStackFixture.create(
            on: moto, template: DeadLetterStackFixture.partialTemplate)
        let outcome = try await Self.collections(moto, ["failures", "--stack", partial.name])
        try await partial.delete()
        #expect(outcome.status != 0)
        #expect(
            outcome.stderr.contains(
                "stack \(partial.name) (\(moto.region), CREATE_COMPLETE) has no output ImageProcessorFunctionName, "
                    + "ImageProcessorDeadLetterQueueUrl, AnalyzerFunctionName"), "\(outcome.stderr)")
    }
}
