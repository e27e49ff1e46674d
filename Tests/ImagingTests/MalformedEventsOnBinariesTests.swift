import Foundation
import PipelineCore
import TestSupport
import Testing

/// Each real function binary, serving an in-test Runtime API, is fed every bad event of
/// ``MalformedEvents`` and then a good one: each bad one is reported to
/// `/runtime/invocation/{id}/error` with its `EventError.<code>` type and a message naming what
/// is wrong, the process keeps serving, and the good event succeeds. Objects and sent events live
/// in local folders; the Analyzer and the Embedder use PostgreSQL and the model stand-ins.
@Suite struct MalformedEventsOnBinariesTests {
    @Test func imageProcessorReportsEachBadEventAndServesTheGoodOne() async throws {
        let folder = try FunctionFolder()
        defer { folder.remove() }
        let report = try await serve(
            "ImageProcessor", bad: try MalformedEvents.imageProcessor(), good: try await folder.uploadEvent(),
            environment: folder.environment)
        #expect(report.contains(#""processed""#), "\(report)")
        #expect(try folder.sentEvents().contains { $0.contains("ImageProcessed") })
    }

    @Test(.enabled(if: TestEnvironment.databaseEnabled))
    func analyzerReportsEachBadEventAndServesTheGoodOne() async throws {
        let folder = try FunctionFolder()
        defer { folder.remove() }
        try await ScratchDatabase.with("malformed_analyzer") { _ in
            try await withStandIns { url in
                var environment = folder.environment
                environment["DATABASE_URL"] = try ScratchDatabase.url("malformed_analyzer")
                environment["ANTHROPIC_BASE_URL"] = url
                environment["ANTHROPIC_API_KEY"] = "sk-local"
                let processed = try await folder.processUpload()
                let report = try await serve(
                    "Analyzer", bad: try MalformedEvents.analyzer(), good: processed, environment: environment)
                #expect(report.contains(#""analysis_id""#), "\(report)")
            }
        }
    }

    @Test(.enabled(if: TestEnvironment.databaseEnabled))
    func embedderReportsEachBadEventAndServesTheGoodOne() async throws {
        let folder = try FunctionFolder()
        defer { folder.remove() }
        try await ScratchDatabase.with("malformed_embedder") { _ in
            try await withStandIns { url in
                var environment = folder.environment
                environment["DATABASE_URL"] = try ScratchDatabase.url("malformed_embedder")
                environment["ANTHROPIC_BASE_URL"] = url
                environment["ANTHROPIC_API_KEY"] = "sk-local"
                environment["VOYAGE_BASE_URL"] = url
                environment["VOYAGE_API_KEY"] = "pa-local"
                let analyzed = try await folder.run("Analyzer", on: try await folder.processUpload(), environment)
                let report = try await serve(
                    "Embedder", bad: try MalformedEvents.embedder(), good: analyzed, environment: environment)
                #expect(report.contains("embedded"), "\(report)")
            }
        }
    }

    /// Serves the bad events and then the good one to `function`; checks every error report, that
    /// the process is still running and asks for more, and that SIGTERM ends it cleanly.
    /// - Returns: the good event's response body.
    private func serve(_ function: String, bad: [MalformedEvent], good: Data, environment: [String: String])
        async throws -> String
    {
        let behavior = ScriptedRuntime(
            bad.enumerated().map { .init(id: "bad-\($0.offset)", event: $0.element.event) }
                + [.init(id: "good", event: good)])
        return try await RuntimeAPIServer.with(behavior) { address in
            var environment = environment
            environment["AWS_LAMBDA_RUNTIME_API"] = address
            let process = try await Products.start(function, environment: environment)
            let reports = try await behavior.waitForReports(bad.count + 1)
            // It asks for the next event after the good one: the loop is still serving.
            while behavior.nextCalls.count < bad.count + 2 && process.isRunning {
                try await Task.sleep(for: .milliseconds(20))
            }
            let running = process.isRunning
            process.signal(SIGTERM)
            let outcome = try await process.wait(timeout: .seconds(10))
            #expect(running, "\(function) exited: \(outcome.stderr)")
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            #expect(!outcome.stderr.contains("Fatal error"))
            for (index, expected) in bad.enumerated() {
                guard case .error("bad-\(index)", let type, let body) = reports[index] else {
                    Issue.record("\(function), \(expected.name): expected an error report, got \(reports[index])")
                    continue
                }
                let problem = expected.mismatch(type: type, body: body)
                #expect(problem == nil, "\(function): \(problem ?? "")")
            }
            guard case .response("good", let body) = reports[bad.count] else {
                Issue.record("\(function): the good event failed: \(reports[bad.count]); stderr: \(outcome.stderr)")
                return ""
            }
            return body
        }
    }
}
