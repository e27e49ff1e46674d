import Foundation
import PipelineCore
import TestSupport
import Testing

/// Claude through Amazon Bedrock: the model id Analyzer invokes, the signed request it sends, and
/// what each of Bedrock's error types becomes.
@Suite struct BedrockRouteTests {
    private static let image = AnalysisInput(
        data: Data([0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xD9]), mediaType: "image/jpeg", originalWidth: 40,
        originalHeight: 30)

    private static func environment(_ model: String?, region: String = "us-east-1", endpoint: String? = nil)
        -> [String: String]
    {
        var environment = [
            "COLLECTIONS_CLAUDE_PROVIDER": "bedrock", "AWS_REGION": region, "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "session-token",
        ]
        environment["COLLECTIONS_CLAUDE_MODEL"] = model
        environment["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = endpoint
        return environment
    }

    @Test(arguments: [
        ("us.anthropic.claude-haiku-5-5", "us-east-1", "us.anthropic.claude-haiku-5-5"),
        (
            "eu.anthropic.claude-haiku-4-5-20251001-v1:0", "eu-west-1",
            "eu.anthropic.claude-haiku-4-5-20251001-v1:0"
        ),
        ("claude-haiku-5-5", "eu-central-1", "eu.anthropic.claude-haiku-5-5"),
        ("claude-opus-4-6", "ap-northeast-1", "jp.anthropic.claude-opus-4-6-v1"),
        ("claude-haiku-5-5", "ap-northeast-1", "global.anthropic.claude-haiku-5-5"),  // no jp profile listed
        (nil, "us-west-2", "us.anthropic.claude-haiku-5-5"),
    ])
    func theModelIDInvoked(model: String?, region: String, invoked: String) throws {
        let configuration = try ClaudeConfiguration(environment: Self.environment(model, region: region))
        #expect(configuration.modelID == invoked)
        #expect(configuration.bedrock?.endpoint.url == "https://bedrock-runtime.\(region).amazonaws.com")
        #expect(configuration.apiKey.isEmpty, "no Anthropic key is read")
    }

    @Test func aBareIDOrAMissingProfileIsAStartUpError() {
        let bare = #expect(throws: ConfigurationError.self) {
            try ClaudeConfiguration(environment: Self.environment("anthropic.claude-haiku-5-5"))
        }
        #expect(bare?.problem.contains("on-demand throughput") == true)
        #expect(bare?.problem.contains("us.anthropic.claude-haiku-5-5") == true)
        let nowhere = #expect(throws: ConfigurationError.self) {
            try ClaudeConfiguration(environment: Self.environment("apac.anthropic.claude-haiku-4-5-20251001-v1:0"))
        }
        #expect(nowhere?.problem.contains("no apac inference profile") == true)
        #expect(throws: ConfigurationError.self) {
            try ClaudeConfiguration(environment: Self.environment("us.anthropic.claude-haiku-9"))
        }
        let wrongProvider = #expect(throws: ConfigurationError.self) {
            try ClaudeConfiguration(
                environment: ["ANTHROPIC_API_KEY": "k", "COLLECTIONS_CLAUDE_MODEL": "us.anthropic.claude-haiku-5-5"])
        }
        #expect(wrongProvider?.problem.contains("COLLECTIONS_CLAUDE_PROVIDER=bedrock") == true)
    }

    @Test func sendsASignedInvokeModelWithTheBedrockBody() async throws {
        let fixture = try TestEnvironment.data("fixtures/api/anthropic/structured-output-message.json")
        let seen = Recorder<TestHTTPRequest>()
        try await TestHTTPServer.with({ request, _ in
            seen.append(request)
            return .json(200, String(decoding: fixture, as: UTF8.self), headers: ["x-amzn-RequestId": "bedrock-1"])
        }) { address in
            let configuration = try ClaudeConfiguration(
                environment: Self.environment(
                    "eu.anthropic.claude-haiku-4-5-20251001-v1:0", region: "eu-west-1", endpoint: "http://\(address)"))
            let output = try await ClaudeAnalysisModel(configuration: configuration).analyze(Self.image)
            #expect(output.analysis.category == .nature && output.requestID == "bedrock-1")
        }
        let request = try #require(seen.all.first)
        #expect(request.method == "POST")
        #expect(request.path == "/model/eu.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke")
        let authorization = try #require(request.headers["authorization"])
        #expect(authorization.contains("/eu-west-1/bedrock/aws4_request"))
        #expect(request.headers["x-amz-security-token"] == "session-token")
        #expect(request.headers["x-api-key"] == nil && request.headers["anthropic-version"] == nil)
        let body = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        #expect(body["anthropic_version"] as? String == "bedrock-2023-05-31")
        #expect(body["model"] == nil)
        #expect((body["output_config"] as? [String: Any])?["format"] != nil)
    }

    @Test(arguments: [
        ("ThrottlingException", 429, true), ("ServiceUnavailableException", 503, true),
        ("ModelNotReadyException", 429, true), ("ModelTimeoutException", 408, true),
        ("InternalServerException", 500, true), ("ValidationException", 400, false),
        ("AccessDeniedException", 403, false), ("ResourceNotFoundException", 404, false),
    ])
    func eachErrorTypeIsNamedAndRetriedOnlyWhenItCanPass(type: String, status: Int, retried: Bool) async throws {
        let calls = Recorder<Void>()
        try await TestHTTPServer.with({ _, _ in
            calls.append(())
            return .json(
                status, #"{"message":"\#(type) from the test"}"#,
                headers: ["x-amzn-ErrorType": "\(type):http://internal.amazon.com/coral/com.amazon.bedrock/"])
        }) { address in
            let configuration = try ClaudeConfiguration(
                environment: Self.environment("us.anthropic.claude-haiku-5-5", endpoint: "http://\(address)"))
            let error = await #expect(throws: ClaudeError.self) {
                try await ClaudeAnalysisModel(configuration: configuration).analyze(Self.image)
            }
            #expect(error?.code == .apiError && error?.status == status && error?.errorType == type)
            #expect(error?.message.contains("\(type) from the test") == true)
        }
        #expect((calls.count > 1) == retried, "\(type): \(calls.count) calls")
    }
}
