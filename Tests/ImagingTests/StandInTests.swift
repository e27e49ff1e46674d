import Foundation
import Imaging
import Logging
import PipelineCore
import StandIns
import TestSupport
import Testing

/// The Messages API stand-in: real request checks, real shapes, the pixel model's answers.
@Suite struct StandInTests {
    private let standIn = StandInServer()
    private let headers = [
        "x-api-key": "sk-local", "anthropic-version": "2023-06-01", "content-type": "application/json",
    ]

    private func request(image: Data, mediaType: String = "image/jpeg") throws -> Data {
        let body: [String: Any] = [
            "model": "claude-haiku-4-5", "max_tokens": 1024,
            "messages": [
                [
                    "role": "user",
                    "content": [
                        [
                            "type": "image",
                            "source": ["type": "base64", "media_type": mediaType, "data": image.base64EncodedString()],
                        ],
                        ["type": "text", "text": "describe"],
                    ],
                ]
            ],
        ]
        return try JSONSerialization.data(withJSONObject: body)
    }

    private func error(_ answer: (Int, Data)) -> (Int, String, String) {
        let object = try? JSONSerialization.jsonObject(with: answer.1) as? [String: Any]
        let error = object?["error"] as? [String: Any]
        return (answer.0, error?["type"] as? String ?? "", error?["message"] as? String ?? "")
    }

    @Test func refusesWhatTheRealAPIRefuses() async throws {
        let red = try TestEnvironment.data("fixtures/images/red.jpg")
        let noKey = await standIn.answer(
            method: "POST", path: "/v1/messages", headers: headers.filter { $0.key != "x-api-key" },
            body: try request(image: red))
        #expect(error(noKey).0 == 401 && error(noKey).1 == "authentication_error")
        let cases: [(Data, String)] = [
            (try request(image: red, mediaType: "image/bmp"), "media_type"),
            (try request(image: red, mediaType: "image/png"), "does not match the provided media type"),
            (
                try request(image: try TestEnvironment.data("fixtures/images/bomb.png"), mediaType: "image/png"),
                "exceed max allowed size: 8000 pixels"
            ),
            (try request(image: Data([0xFF, 0xD8, 0xFF]) + Data(count: 5_300_000)), "exceeds 5 MB maximum"),
            (
                Data(
                    #"{"model":"claude-haiku-4-5","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"***"}}]}]}"#
                        .utf8),
                "invalid base64"
            ),
            (Data(#"{"max_tokens":5,"messages":[]}"#.utf8), "model: Field required"),
        ]
        for (body, expected) in cases {
            let (status, type, message) = error(
                await standIn.answer(method: "POST", path: "/v1/messages", headers: headers, body: body))
            #expect(status == 400, "\(message)")
            #expect(type == "invalid_request_error")
            #expect(message.contains(expected), "\(message)")
        }
    }

    @Test func theClientGetsThePixelModelsAnalysisOverHTTP() async throws {
        let red = try TestEnvironment.data("fixtures/images/red.jpg")
        try await withStandIns { url in
            var configuration = ClaudeConfiguration(apiKey: "sk-local")
            configuration.baseURL = url
            let output = try await ClaudeAnalysisModel(configuration: configuration).analyze(
                AnalysisInput(data: red, mediaType: "image/jpeg", originalWidth: 800, originalHeight: 600))
            let offline = try await PixelAnalysisModel(decoder: VipsPixelDecoder()).analyze(
                AnalysisInput(data: red, mediaType: "image/jpeg", originalWidth: 800, originalHeight: 600))
            #expect(output.analysis == offline.analysis)
            // red.jpg's rendition is read whole on Haiku 5.5's high-resolution tier: ⌈w/28⌉ × ⌈h/28⌉ patches.
            let size = try VipsImageProbe.size(of: red)
            #expect(
                output.usage.inputTokens
                    >= TokenRules.highResolution.imageTokens(width: size.width, height: size.height))
            #expect(output.usage.thinkingTokens == 0, "the client turns Haiku 5.5's thinking off")
            #expect(output.requestID?.hasPrefix("req_") == true)
        }
    }
}
