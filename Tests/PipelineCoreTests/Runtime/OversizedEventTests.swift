import Foundation
import Logging
import PipelineCore
import TestSupport
import Testing

/// The Runtime API loop refuses invocations over Lambda's 6 MB synchronous payload limit before
/// the handler sees them, reports them with their size and the limit, and goes on serving. (A
/// single event over 256 KiB is refused by ``EventRunner``: see EventRunnerTests.)
@Suite struct OversizedEventTests {
    @Test func oversizedEventsAreRefusedUnreadAndTheLoopGoesOn() async throws {
        let atLimit = Data(repeating: UInt8(ascii: " "), count: EventSizeLimit.invocationBytes)
        let behavior = ScriptedRuntime([
            .init(id: "over", event: Data(repeating: UInt8(ascii: "x"), count: EventSizeLimit.invocationBytes + 1)),
            // Far larger: still one refused invocation, not a crash.
            .init(id: "huge", event: Data(repeating: UInt8(ascii: "["), count: 8 << 20)),
            .init(id: "at-limit", event: atLimit),
            .init(id: "small", event: Data(#"{"n":1}"#.utf8)),
        ])
        let seen = Recorder<Int>()
        try await RuntimeAPIServer.with(behavior) { address in
            let runtime = LambdaRuntime(client: LambdaRuntimeClient(address: address), logger: Logger(label: "test"))
            let loop = Task {
                try await runtime.run { event, _ in
                    seen.append(event.count)
                    return Data(#"{"bytes":\#(event.count)}"#.utf8)
                }
            }
            let reports = try await behavior.waitForReports(4)
            runtime.stop()
            try await loop.value
            let tooLarge = "EventError.tooLarge"
            #expect(
                reports == [
                    .error(
                        id: "over", type: tooLarge,
                        body:
                            #"{"errorMessage":"the event is 6291457 bytes, over the limit of 6291456 bytes (6144 KiB); it was refused without being parsed","errorType":"EventError.tooLarge"}"#
                    ),
                    .error(
                        id: "huge", type: tooLarge,
                        body:
                            #"{"errorMessage":"the event is 8388608 bytes, over the limit of 6291456 bytes (6144 KiB); it was refused without being parsed","errorType":"EventError.tooLarge"}"#
                    ),
                    .response(id: "at-limit", body: #"{"bytes":6291456}"#),
                    .response(id: "small", body: #"{"bytes":7}"#),
                ])
        }
        #expect(seen.all == [EventSizeLimit.invocationBytes, 7])
    }

    @Test func theLimitIsTheRuntimes() async throws {
        let behavior = ScriptedRuntime([.init(id: "a", event: Data(#"{"n":12345}"#.utf8))])
        try await RuntimeAPIServer.with(behavior) { address in
            let runtime = LambdaRuntime(
                client: LambdaRuntimeClient(address: address), logger: Logger(label: "test"), maxEventBytes: 10)
            let loop = Task { try await runtime.run { _, _ in Data("{}".utf8) } }
            let reports = try await behavior.waitForReports(1)
            runtime.stop()
            try await loop.value
            guard case .error("a", "EventError.tooLarge", let body) = reports.first else {
                Issue.record("expected a tooLarge error: \(reports)")
                return
            }
            #expect(body.contains("the event is 11 bytes, over the limit of 10 bytes (10 B)"))
        }
    }
}
