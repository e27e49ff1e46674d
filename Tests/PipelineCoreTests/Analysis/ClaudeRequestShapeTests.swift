import Foundation
import PipelineCore
import Testing

/// The request each catalogued model gets, and the configuration that picks the model.
@Suite struct ClaudeRequestShapeTests {
    private let image = AnalysisInput(
        data: Data([0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xD9]), mediaType: "image/jpeg", originalWidth: 40,
        originalHeight: 30)

    private func body(_ model: String, effort: Effort = .low) throws -> [String: Any] {
        var configuration = ClaudeConfiguration(apiKey: "k", model: try #require(ClaudeCatalogue.model(model)))
        configuration.effort = effort
        let data = try ClaudeAnalysisModel(configuration: configuration).requestBody(image)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test(arguments: ClaudeCatalogue.ids)
    func everyModelGetsStructuredOutputsAndNothingItRejects(model: String) throws {
        let spec = try #require(ClaudeCatalogue.model(model))
        let body = try body(model)
        #expect(body["model"] as? String == model)
        let output = try #require(body["output_config"] as? [String: Any])
        #expect((output["format"] as? [String: Any])?["type"] as? String == "json_schema")
        #expect(body["tool_choice"] == nil && body["tools"] == nil)
        for removed in ["temperature", "top_p", "top_k"] { #expect(body[removed] == nil) }
        #expect((body["messages"] as? [[String: Any]])?.last?["role"] as? String == "user", "no prefill")
        if let thinking = (body["thinking"] as? [String: Any])?["type"] as? String {
            #expect(spec.thinking.accepted.contains(ThinkingType(rawValue: thinking)!), "\(thinking)")
        }
        #expect((output["effort"] as? String) == (spec.effort.levels.isEmpty ? nil : "low"))
    }

    @Test func thinkingIsAsLowAsEachModelAllows() throws {
        #expect((try body("claude-haiku-5-5")["thinking"] as? [String: String]) == ["type": "disabled"])
        #expect((try body("claude-sonnet-5-5")["thinking"] as? [String: String]) == ["type": "between_tools"])
        #expect(try body("claude-sonnet-5-5", effort: .xhigh)["thinking"] == nil, "between_tools only up to high")
        #expect(try body("claude-opus-5-5")["thinking"] == nil)
        #expect(try body("claude-haiku-4-5")["thinking"] == nil)
        #expect(try body("claude-haiku-5-5")["max_tokens"] as? Int == 1024)
        #expect(try body("claude-fable-5-1")["max_tokens"] as? Int == 4096)
    }

    @Test func aModelWithoutStructuredOutputsGetsTheForcedToolWithThinkingOff() throws {
        var spec = try #require(ClaudeCatalogue.model("claude-haiku-5-5"))
        spec.structuredOutputs = false
        let data = try ClaudeAnalysisModel(configuration: ClaudeConfiguration(apiKey: "k", model: spec))
            .requestBody(image)
        let body = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((body["tool_choice"] as? [String: String]) == ["type": "tool", "name": AnalysisTool.name])
        #expect((body["thinking"] as? [String: String]) == ["type": "disabled"])
        #expect((body["output_config"] as? [String: Any])?["format"] == nil)
        spec.forcedToolUse = false
        let auto = try ClaudeAnalysisModel(configuration: ClaudeConfiguration(apiKey: "k", model: spec))
            .requestBody(image)
        let autoBody = try #require(try JSONSerialization.jsonObject(with: auto) as? [String: Any])
        #expect((autoBody["tool_choice"] as? [String: String]) == ["type": "auto"])
    }

    @Test func anUncataloguedModelIsAStartUpErrorNamingTheCatalogue() throws {
        let environment = ["ANTHROPIC_API_KEY": "k", "COLLECTIONS_CLAUDE_MODEL": "claude-haiku-9"]
        let error = #expect(throws: ConfigurationError.self) { try ClaudeConfiguration(environment: environment) }
        #expect(error?.variable == "COLLECTIONS_CLAUDE_MODEL")
        #expect(error?.problem.contains("claude-haiku-5-5") == true)
        #expect(error?.problem.contains("COLLECTIONS_CLAUDE_MODEL_UNLISTED=1") == true)
        var unlisted = environment
        unlisted["COLLECTIONS_CLAUDE_MODEL_UNLISTED"] = "1"
        let configuration = try ClaudeConfiguration(environment: unlisted)
        #expect(configuration.model.id == "claude-haiku-9" && configuration.model.price == nil)
        #expect(configuration.model.structuredOutputs && configuration.model.leastThinking(at: .low) == nil)
    }

    @Test func theDefaultsAndTheEffortVariable() throws {
        let configuration = try ClaudeConfiguration(environment: ["ANTHROPIC_API_KEY": "k"])
        #expect(configuration.model.id == "claude-haiku-5-5" && configuration.effort == .low)
        let high = try ClaudeConfiguration(
            environment: ["ANTHROPIC_API_KEY": "k", "COLLECTIONS_CLAUDE_EFFORT": "HIGH"])
        #expect(high.effort == .high)
        #expect(throws: ConfigurationError.self) {
            try ClaudeConfiguration(environment: ["ANTHROPIC_API_KEY": "k", "COLLECTIONS_CLAUDE_EFFORT": "extreme"])
        }
        let error = #expect(throws: ConfigurationError.self) {
            try ClaudeConfiguration(
                environment: [
                    "ANTHROPIC_API_KEY": "k", "COLLECTIONS_CLAUDE_MODEL": "claude-opus-4-6",
                    "COLLECTIONS_CLAUDE_EFFORT": "xhigh",
                ])
        }
        #expect(error?.problem.contains("low, medium, high, max") == true)
    }
}
