import Foundation
import Logging
import PipelineCore
import TestSupport
import Testing

/// The Runtime API loop against an in-test Runtime API server.
@Suite struct LambdaRuntimeTests {
    private struct Boom: Error, CustomStringConvertible {
        var description: String { "the handler failed on purpose" }
    }

    private struct Seen: Sendable {
        var id: String
        var arn: String
        var trace: String?
        var traceEnvironment: String?
        var taskTrace: String?
        var deadline: Date
    }

    private func event(_ id: String, trace: String? = nil, deadlineMs: Int64? = nil) -> ScriptedRuntime.Invocation {
        var invocation = ScriptedRuntime.Invocation(id: id, event: Data(#"{"n":"\#(id)"}"#.utf8), traceID: trace)
        if let deadlineMs { invocation.deadlineMs = deadlineMs }
        return invocation
    }

    @Test func respondsReportsErrorsAndGoesOn() async throws {
        let behavior = ScriptedRuntime([
            event(
                "r-1", trace: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
                deadlineMs: 1_900_000_000_000),
            event("r-2"), event("r-3", trace: "Root=1-00000000-000000000000000000000003"),
        ])
        let seen = Recorder<Seen>()
        try await RuntimeAPIServer.with(behavior) { address in
            let runtime = LambdaRuntime(client: LambdaRuntimeClient(address: address), logger: Logger(label: "test"))
            let loop = Task {
                try await runtime.run { event, context in
                    seen.append(
                        Seen(
                            id: context.requestID, arn: context.invokedFunctionARN, trace: context.traceID,
                            traceEnvironment: ProcessInfo.processInfo.environment["_X_AMZN_TRACE_ID"],
                            taskTrace: TraceHeader.current, deadline: context.deadline))
                    if context.requestID == "r-2" { throw Boom() }
                    return Data(#"{"echo":\#(String(decoding: event, as: UTF8.self))}"#.utf8)
                }
            }
            let reports = try await behavior.waitForReports(3)
            runtime.stop()
            try await loop.value
            #expect(
                reports == [
                    .response(id: "r-1", body: #"{"echo":{"n":"r-1"}}"#),
                    .error(
                        id: "r-2", type: "Boom",
                        body: #"{"errorMessage":"the handler failed on purpose","errorType":"Boom"}"#),
                    .response(id: "r-3", body: #"{"echo":{"n":"r-3"}}"#),
                ])
        }
        let contexts = seen.all
        #expect(contexts.map(\.id) == ["r-1", "r-2", "r-3"])
        #expect(contexts[0].arn == "arn:aws:lambda:us-east-1:123456789012:function:test")
        #expect(contexts[0].deadline == Date(timeIntervalSince1970: 1_900_000_000))
        #expect(contexts[0].traceEnvironment == contexts[0].trace)
        #expect(contexts[0].trace?.hasPrefix("Root=1-5759e988") == true)
        #expect(contexts[1].trace == nil && contexts[1].traceEnvironment == nil)
        #expect(contexts[2].traceEnvironment == "Root=1-00000000-000000000000000000000003")
        // The handler runs with the invocation's trace as the current one: what events it sends carry.
        #expect(contexts.map(\.taskTrace) == contexts.map(\.trace))
    }

    @Test func stopEndsAWaitForTheNextEventAtOnce() async throws {
        let behavior = ScriptedRuntime([])
        try await RuntimeAPIServer.with(behavior) { address in
            let runtime = LambdaRuntime(client: LambdaRuntimeClient(address: address), logger: Logger(label: "test"))
            let loop = Task { try await runtime.run { _, _ in Data() } }
            while behavior.nextCalls.count == 0 { try await Task.sleep(for: .milliseconds(10)) }
            let start = ContinuousClock.now
            runtime.stop()
            try await loop.value
            #expect(ContinuousClock.now - start < .seconds(2))
        }
    }

    @Test func stopLetsTheRunningInvocationFinishAndReport() async throws {
        let behavior = ScriptedRuntime([event("slow"), event("never")])
        try await RuntimeAPIServer.with(behavior) { address in
            let runtime = LambdaRuntime(client: LambdaRuntimeClient(address: address), logger: Logger(label: "test"))
            let started = Recorder<Void>()
            let loop = Task {
                try await runtime.run { _, _ in
                    started.append(())
                    try await Task.sleep(for: .milliseconds(300))
                    return Data(#"{"done":true}"#.utf8)
                }
            }
            while started.count == 0 { try await Task.sleep(for: .milliseconds(10)) }
            runtime.stop()
            try await loop.value
            #expect(behavior.reports.all == [.response(id: "slow", body: #"{"done":true}"#)])
            #expect(behavior.nextCalls.count == 1)
        }
    }

    @Test func aBrokenRuntimeAPIIsAnError() async throws {
        let runtime = LambdaRuntime(client: LambdaRuntimeClient(address: "127.0.0.1:1"), logger: Logger(label: "test"))
        await #expect(throws: LambdaRuntimeError.self) { try await runtime.run { _, _ in Data() } }
    }
}
