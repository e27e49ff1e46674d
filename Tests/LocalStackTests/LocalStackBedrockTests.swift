import Foundation
import LocalStack
import PipelineCore
import Testing

@testable import TestSupport

/// The local stack with `--parameter ClaudeProvider=bedrock`: uploads become vectors through the
/// Bedrock route, the stand-in checking each InvokeModel signature against the Analyzer's
/// temporary credentials, and no Anthropic key anywhere.
@Suite(
    .enabled(if: TestEnvironment.databaseEnabled && MotoServer.enabled, "needs PostgreSQL and moto (scripts/test)"),
    .serialized)
struct LocalStackBedrockTests {
    @Test func uploadsBecomeVectorsThroughBedrock() async throws {
        try await ScratchDatabase.with("local_stack_bedrock") { database in
            let stateDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "collections-bedrock-\(UUID().uuidString.prefix(8))")
            var environment = LocalStackCLI.environment(stateDirectory: stateDirectory)
            environment["ANTHROPIC_API_KEY"] = nil
            let up = try await Products.run(
                "collections",
                arguments: [
                    "local", "up", "--database", "local_stack_bedrock", "--processes", "1",
                    "--parameter", "ClaudeProvider=bedrock",
                    "--parameter", "BedrockInferenceProfile=eu.anthropic.claude-haiku-4-5-20251001-v1:0",
                ], environment: environment, timeout: .seconds(120))
            #expect(up.status == 0, "\(up.stdout)\n\(up.stderr)")
            defer { LocalStackCLI.down(environment: environment) }
            guard up.status == 0, let stack = try StackState.load(from: stateDirectory) else { return }
            let analyzer = try #require(stack.functions.first { $0.executable == "Analyzer" })
            #expect(analyzer.environment["COLLECTIONS_CLAUDE_PROVIDER"] == "bedrock")
            #expect(analyzer.environment["COLLECTIONS_ANTHROPIC_API_KEY_PARAMETER"] == nil)
            #expect(analyzer.environment["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] != nil)

            let aws = AWSCommand(stack: stack)
            let photos = try Array(TestEnvironment.photoFiles().prefix(2))
            for (index, photo) in photos.enumerated() {
                let copy = try await aws.run(["s3", "cp", photo.path, "s3://\(stack.bucket)/bea/\(index).jpg"])
                #expect(copy.status == 0, "\(copy.stderr)")
            }
            try await waitFor("two embedded items", timeout: .seconds(90)) {
                try await ScratchDatabase.count("embeddings", in: database) == 2
            }
            let rows = try await database.client.query("SELECT DISTINCT model FROM analyses")
            var models: [String] = []
            for try await (model, ) in rows.decode((String,).self) { models.append(model) }
            #expect(models == ["eu.anthropic.claude-haiku-4-5-20251001-v1:0"])
            let stats = try await StandInStatistics.requests(try #require(stack.standInsURL))
            #expect(stats["/model/invoke"] ?? 0 >= 2, "\(stats)")
            #expect(stats["/v1/messages"] == nil, "nothing reached the Claude API route")
        }
    }
}
