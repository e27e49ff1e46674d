import Foundation
import PipelineCore
import TestSupport
import Testing

/// The Analyzer binary analyses a real photo's rendition through the Messages API stand-in with
/// every model in the catalogue: each request is shaped so the stand-in, enforcing that model's
/// documented rules, accepts it, and each answer (thinking blocks first, or not) is read.
@Suite(.enabled(if: MotoServer.enabled && TestEnvironment.databaseEnabled))
struct AnalyzerOnEveryModelTests {
    /// A photo and its rendition in a new bucket on moto, and an ImageProcessed event file for them.
    private static func photoEvent(_ server: MotoServer) async throws -> (event: URL, environment: [String: String]) {
        let s3 = S3Client(client: server.client(), endpoint: server.endpoint)
        let (bucket, processed) = try await ProcessedUpload.make(
            try TestEnvironment.data("fixtures/images/red.jpg"), key: "ana/red.jpg", bucketPrefix: "models", s3: s3)
        let eventFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(bucket).json")
        try EventEntry(processed).delivered(id: "models", time: Date()).write(to: eventFile)
        var environment = server.environment
        _ = try await server.busDeliveringToQueue(bucket)
        environment["COLLECTIONS_EVENT_BUS_NAME"] = bucket
        return (eventFile, environment)
    }

    @Test func everyCataloguedModelAnalysesAPhoto() async throws {
        let server = try MotoServer.requireVerifying()
        var (eventFile, environment) = try await Self.photoEvent(server)
        defer { try? FileManager.default.removeItem(at: eventFile) }
        try await ScratchDatabase.with("analyzer_every_model") { database in
            environment["DATABASE_URL"] = try ScratchDatabase.url("analyzer_every_model")
            try await withStandIns { url in
                environment["ANTHROPIC_BASE_URL"] = url
                environment["ANTHROPIC_API_KEY"] = "sk-local"
                for model in ClaudeCatalogue.ids {
                    environment["COLLECTIONS_CLAUDE_MODEL"] = model
                    let outcome = try await Products.run(
                        "Analyzer", arguments: ["--event", eventFile.path], environment: environment)
                    #expect(outcome.status == 0, "\(model): \(outcome.stderr)")
                    #expect(outcome.stdout.contains(#""model":"\#(model)""#), "\(model): \(outcome.stdout)")
                }
            }
            let rows = try await database.client.query(
                "SELECT model, thinking_tokens, output_tokens FROM analyses ORDER BY model")
            var seen: [String: (thinking: Int, output: Int)] = [:]
            for try await (model, thinking, output) in rows.decode((String, Int, Int).self) {
                seen[model] = (thinking, output)
            }
            #expect(Set(seen.keys) == Set(ClaudeCatalogue.ids))
            // Thinking is paid for only where the model cannot turn it off.
            for (model, usage) in seen {
                let thinks = ["claude-fable-5-2", "claude-fable-5-1", "claude-opus-5-5"].contains(model)
                #expect((usage.thinking > 0) == thinks, "\(model): \(usage)")
                #expect(usage.thinking < usage.output, "\(model)")
            }
        }
    }

    @Test func analysesThroughBedrockWithNoAnthropicKey() async throws {
        let server = try MotoServer.requireVerifying()
        var (eventFile, environment) = try await Self.photoEvent(server)
        defer { try? FileManager.default.removeItem(at: eventFile) }
        // The stand-in verifies Bedrock signatures with the same credentials the function has.
        let keys = try AWSCredentials(environment: environment)
        try await ScratchDatabase.with("analyzer_bedrock") { database in
            environment["DATABASE_URL"] = try ScratchDatabase.url("analyzer_bedrock")
            environment["COLLECTIONS_CLAUDE_PROVIDER"] = "bedrock"
            try await withStandIns(awsCredentials: [keys]) { url in
                environment["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = url
                for model in ["us.anthropic.claude-haiku-5-5", "eu.anthropic.claude-haiku-4-5-20251001-v1:0"] {
                    environment["COLLECTIONS_CLAUDE_MODEL"] = model
                    let outcome = try await Products.run(
                        "Analyzer", arguments: ["--event", eventFile.path], environment: environment)
                    #expect(outcome.status == 0, "\(model): \(outcome.stderr)")
                    #expect(outcome.stdout.contains(#""model":"\#(model)""#), "\(model): \(outcome.stdout)")
                }
            }
            // A Bedrock that knows another secret for the key refuses the signature, as Bedrock does.
            let other = AWSCredentials(accessKeyID: keys.accessKeyID, secretAccessKey: keys.secretAccessKey + "x")
            try await withStandIns(awsCredentials: [other]) { url in
                environment["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = url
                environment["COLLECTIONS_CLAUDE_MODEL"] = "global.anthropic.claude-sonnet-5-5"
                let refused = try await Products.run(
                    "Analyzer", arguments: ["--event", eventFile.path], environment: environment)
                #expect(refused.status != 0)
                #expect(refused.stdout.contains("InvalidSignatureException"), "\(refused.stdout)")
            }
            #expect(try await ScratchDatabase.count("analyses", in: database) == 2)
        }
    }
}
