import Foundation
import PipelineCore
import StandIns
import TestSupport
import Testing

/// Each per-model rule the Messages API documents, hit once: the stand-in must refuse it with the
/// real status and error type, and accept the same request with the rule respected.
@Suite struct MessagesRulesTests {
    private let standIn = StandInServer()
    private static let headers = [
        "x-api-key": "sk-local", "anthropic-version": "2026-10-21", "content-type": "application/json",
    ]
    nonisolated(unsafe) private static let tool: [String: Any] = [
        "name": "record", "input_schema": ["type": "object", "properties": [:], "additionalProperties": false],
    ]

    private func post(_ fields: [String: Any], headers: [String: String] = headers) async throws -> (
        status: Int, type: String, message: String, body: [String: Any]
    ) {
        let red = try TestEnvironment.data("fixtures/images/red.jpg")
        var request: [String: Any] = [
            "max_tokens": 1024,
            "messages": [
                [
                    "role": "user",
                    "content": [
                        [
                            "type": "image",
                            "source": [
                                "type": "base64", "media_type": "image/jpeg", "data": red.base64EncodedString(),
                            ],
                        ],
                        ["type": "text", "text": "describe"],
                    ],
                ]
            ],
        ]
        request.merge(fields) { $1 }
        let (status, data) = await standIn.answer(
            method: "POST", path: "/v1/messages", headers: headers,
            body: try JSONSerialization.data(withJSONObject: request))
        let body = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let error = body["error"] as? [String: Any]
        return (status, error?["type"] as? String ?? "", error?["message"] as? String ?? "", body)
    }

    nonisolated(unsafe) static let refusals: [(String, [String: Any], Int, String)] = [
        ("unknown model", ["model": "claude-haiku-9"], 404, "model: claude-haiku-9"),
        (
            "a Bedrock profile on the Claude API", ["model": "us.anthropic.claude-haiku-5-5"], 404,
            "model: us.anthropic.claude-haiku-5-5"
        ),
        (
            "forced tool use on Sonnet 5.5",
            ["model": "claude-sonnet-5-5", "tools": [tool], "tool_choice": ["type": "tool", "name": "record"]], 400,
            "are not supported for this model"
        ),
        (
            "forced tool use on Opus 5.5",
            ["model": "claude-opus-5-5", "tools": [tool], "tool_choice": ["type": "any"]],
            400, "are not supported for this model"
        ),
        (
            "forced tool use on Fable 5.1",
            ["model": "claude-fable-5-1", "tools": [tool], "tool_choice": ["type": "tool", "name": "record"]], 400,
            "are not supported for this model"
        ),
        (
            "forced tool use while Haiku 5.5 thinks by default",
            ["model": "claude-haiku-5-5", "tools": [tool], "tool_choice": ["type": "tool", "name": "record"]], 400,
            "Thinking may not be enabled"
        ),
        (
            "forced tool use with adaptive thinking on Opus 4.7",
            [
                "model": "claude-opus-4-7", "thinking": ["type": "adaptive"], "tools": [tool],
                "tool_choice": ["type": "tool", "name": "record"],
            ], 400, "Thinking may not be enabled"
        ),
        (
            "disabled thinking on Opus 5.5", ["model": "claude-opus-5-5", "thinking": ["type": "disabled"]], 400,
            "\"thinking.type.disabled\" is not supported"
        ),
        (
            "disabled thinking on Sonnet 5.5", ["model": "claude-sonnet-5-5", "thinking": ["type": "disabled"]], 400,
            "between_tools"
        ),
        (
            "between_tools on Haiku 5.5", ["model": "claude-haiku-5-5", "thinking": ["type": "between_tools"]], 400,
            "\"thinking.type.between_tools\" is not supported"
        ),
        (
            "extended thinking on Opus 4.7",
            ["model": "claude-opus-4-7", "thinking": ["type": "enabled", "budget_tokens": 2048]], 400,
            "\"thinking.type.enabled\" is not supported"
        ),
        (
            "adaptive thinking on Haiku 4.5", ["model": "claude-haiku-4-5", "thinking": ["type": "adaptive"]], 400,
            "\"thinking.type.adaptive\" is not supported"
        ),
        (
            "disabled thinking at effort max on Haiku 5.5",
            ["model": "claude-haiku-5-5", "thinking": ["type": "disabled"], "output_config": ["effort": "max"]], 400,
            "effort"
        ),
        (
            "effort on Haiku 4.5", ["model": "claude-haiku-4-5", "output_config": ["effort": "low"]], 400,
            "does not support the effort parameter"
        ),
        ("xhigh on Opus 4.6", ["model": "claude-opus-4-6", "output_config": ["effort": "xhigh"]], 400, "xhigh"),
        ("temperature under 2026-10-21", ["model": "claude-haiku-4-5", "temperature": 0.5], 400, "temperature"),
        ("top_p under 2026-10-21", ["model": "claude-haiku-4-5", "top_p": 0.9], 400, "top_p"),
        ("top_k under 2026-10-21", ["model": "claude-haiku-4-5", "top_k": 5], 400, "top_k"),
        (
            "an object schema without additionalProperties false",
            [
                "model": "claude-haiku-5-5",
                "output_config": [
                    "format": [
                        "type": "json_schema",
                        "schema": [
                            "type": "object", "additionalProperties": false,
                            "properties": ["inner": ["type": "object", "properties": ["a": ["type": "string"]]]],
                        ],
                    ]
                ],
            ], 400, "properties.inner: For 'object' type, 'additionalProperties' must be explicitly set to false"
        ),
        (
            "a schema keyword structured outputs refuse",
            [
                "model": "claude-haiku-5-5",
                "output_config": [
                    "format": [
                        "type": "json_schema",
                        "schema": [
                            "type": "object", "additionalProperties": false,
                            "properties": ["tags": ["type": "array", "items": ["type": "string"], "maxItems": 3]],
                        ],
                    ]
                ],
            ], 400, "maxItems"
        ),
    ]

    @Test(arguments: 0..<refusals.count)
    func refusesWhatTheAPIDocumentsItRefuses(index: Int) async throws {
        let (name, fields, status, message) = Self.refusals[index]
        let answer = try await post(fields)
        #expect(answer.status == status, "\(name): \(answer.message)")
        #expect(answer.type == (status == 404 ? "not_found_error" : "invalid_request_error"), "\(name)")
        #expect(answer.message.contains(message), "\(name): \(answer.message)")
        #expect((answer.body["request_id"] as? String)?.hasPrefix("req_") == true)
    }

    @Test func refusesAPrefillFrom46OnAndAcceptsItBefore() async throws {
        let red = try TestEnvironment.data("fixtures/images/red.jpg")
        let messages: [[String: Any]] = [
            [
                "role": "user",
                "content": [
                    [
                        "type": "image",
                        "source": ["type": "base64", "media_type": "image/jpeg", "data": red.base64EncodedString()],
                    ]
                ],
            ],
            ["role": "assistant", "content": "{"],
        ]
        for model in ["claude-haiku-5-5", "claude-opus-4-6", "claude-sonnet-4-6"] {
            let answer = try await post(["model": model, "messages": messages])
            #expect(answer.status == 400 && answer.message.contains("prefill"), "\(model): \(answer.message)")
        }
        #expect(try await post(["model": "claude-haiku-4-5", "messages": messages]).status == 200)
    }

    @Test func acceptsTheSameRequestsWithTheRulesRespected() async throws {
        let accepted: [[String: Any]] = [
            ["model": "claude-sonnet-5-5", "tools": [Self.tool], "tool_choice": ["type": "auto"]],
            [
                "model": "claude-haiku-5-5", "thinking": ["type": "disabled"], "tools": [Self.tool],
                "tool_choice": ["type": "tool", "name": "record"],
            ],
            ["model": "claude-opus-5-5", "thinking": ["type": "adaptive"]],
            ["model": "claude-sonnet-5-5", "thinking": ["type": "between_tools"], "output_config": ["effort": "high"]],
            ["model": "claude-haiku-5-5", "thinking": ["type": "disabled"], "output_config": ["effort": "high"]],
            ["model": "claude-haiku-4-5", "max_tokens": 4096, "thinking": ["type": "enabled", "budget_tokens": 1024]],
            ["model": "claude-haiku-4-5-20251001"],
        ]
        for fields in accepted {
            let answer = try await post(fields)
            #expect(answer.status == 200, "\(fields): \(answer.message)")
        }
        var oldVersion = Self.headers
        oldVersion["anthropic-version"] = "2023-06-01"
        #expect(try await post(["model": "claude-haiku-4-5", "temperature": 0.5], headers: oldVersion).status == 200)
        oldVersion["anthropic-version"] = "2024-01-01"
        #expect(try await post(["model": "claude-haiku-4-5"], headers: oldVersion).status == 400)
    }

    @Test func answersInTheRealShapePerModel() async throws {
        let schema = ["type": "json_schema", "schema": AnalysisTool.inputSchema] as [String: Any]
        let thinking = try await post([
            "model": "claude-opus-5-5", "max_tokens": 4096, "output_config": ["format": schema],
        ])
        let blocks = try #require(thinking.body["content"] as? [[String: Any]])
        #expect(blocks.map { $0["type"] as? String } == ["thinking", "text"])
        #expect((blocks[0]["signature"] as? String)?.isEmpty == false)
        let json = try #require((blocks[1]["text"] as? String)?.data(using: .utf8))
        #expect((try? JSONDecoder().decode(Analysis.self, from: json)) != nil)
        let usage = try #require(thinking.body["usage"] as? [String: Any])
        let thought = try #require((usage["output_tokens_details"] as? [String: Any])?["thinking_tokens"] as? Int)
        #expect(thought > 0 && thought < usage["output_tokens"] as! Int)

        let quiet = try await post([
            "model": "claude-haiku-5-5", "thinking": ["type": "disabled"], "output_config": ["format": schema],
        ])
        #expect((quiet.body["content"] as? [[String: Any]])?.map { $0["type"] as? String } == ["text"])
        // The same request counts more tokens on Haiku 5.5's newer tokenizer than on Haiku 4.5's.
        let old = try await post(["model": "claude-haiku-4-5", "output_config": ["format": schema]])
        let newInput = (quiet.body["usage"] as? [String: Any])?["input_tokens"] as? Int ?? 0
        let oldInput = (old.body["usage"] as? [String: Any])?["input_tokens"] as? Int ?? 0
        #expect(oldInput > 0 && newInput > oldInput)

        let cut = try await post(["model": "claude-opus-5-5", "max_tokens": 50])
        #expect(cut.body["stop_reason"] as? String == "max_tokens")
        #expect((cut.body["usage"] as? [String: Any])?["output_tokens"] as? Int == 50)
    }
}
