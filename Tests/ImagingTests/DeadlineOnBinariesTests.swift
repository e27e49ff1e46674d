import Foundation
import PipelineCore
import StandIns
import TestSupport
import Testing

/// A dependency that accepts the connection and never answers must not outlive the invocation:
/// each real function binary, given a 4 s deadline by an in-test Runtime API, reports an error
/// naming the hung service and the deadline before the deadline passes.
@Suite struct DeadlineOnBinariesTests {
    @Test func imageProcessorGivesUpOnAHangingS3BeforeTheDeadline() async throws {
        let folder = try FunctionFolder()
        defer { folder.remove() }
        let event = try await folder.uploadEvent()
        try await Self.withHangingServer { address in
            var environment = folder.environment
            environment["COLLECTIONS_LOCAL_ROOT"] = nil
            environment["AWS_ENDPOINT_URL_S3"] = "http://\(address)"
            let message = try await Self.invokeBeforeDeadline("ImageProcessor", event, environment)
            #expect(message.contains("S3 GetObject"), "\(message)")
            #expect(message.contains("invocation deadline"), "\(message)")
        }
        #expect(try folder.sentEvents().isEmpty, "a transient failure announces nothing")
    }

    @Test func imageProcessorGivesUpOnAHangingEventBridgeBeforeTheDeadline() async throws {
        let folder = try FunctionFolder()
        defer { folder.remove() }
        let event = try await folder.uploadEvent()
        try await Self.withHangingServer { address in
            var environment = folder.environment
            environment["COLLECTIONS_LOCAL_EVENTS"] = nil
            environment["AWS_ENDPOINT_URL_EVENTBRIDGE"] = "http://\(address)"
            let message = try await Self.invokeBeforeDeadline("ImageProcessor", event, environment)
            #expect(message.contains("EventBridge PutEvents"), "\(message)")
            #expect(message.contains("invocation deadline"), "\(message)")
        }
    }

    @Test(.enabled(if: TestEnvironment.databaseEnabled, "needs PostgreSQL"))
    func analyzerGivesUpOnAHangingClaudeBeforeTheDeadline() async throws {
        let folder = try FunctionFolder()
        defer { folder.remove() }
        let processed = try await folder.processUpload()
        try await ScratchDatabase.with("deadline_analyzer") { (database: Database) async throws in
            var faults = FaultPlan(hang: 1)
            faults.hangFor = .seconds(20)
            try await withStandIns(faults: faults) { (url: String) async throws in
                var environment = folder.environment
                environment["DATABASE_URL"] = try ScratchDatabase.url("deadline_analyzer")
                environment["ANTHROPIC_BASE_URL"] = url
                environment["ANTHROPIC_API_KEY"] = "sk-local"
                let message = try await Self.invokeBeforeDeadline("Analyzer", processed, environment)
                #expect(message.contains("Claude unreachable"), "\(message)")
                #expect(message.contains("invocation deadline"), "\(message)")
            }
            #expect(try await ScratchDatabase.count("analyses", in: database) == 0)
        }
    }

    /// Serves one event with a deadline 4 s away to `function`; returns the error message it
    /// reported, after checking that the report came before the deadline and the process then
    /// ended cleanly on SIGTERM.
    private static func invokeBeforeDeadline(
        _ function: String, _ event: Data, _ environment: [String: String]
    ) async throws -> String {
        let deadline = Date().addingTimeInterval(4)
        let behavior = ScriptedRuntime([
            .init(id: "hung", event: event, deadlineMs: Int64(deadline.timeIntervalSince1970 * 1000))
        ])
        return try await RuntimeAPIServer.with(behavior) { address in
            var environment = environment
            environment["AWS_LAMBDA_RUNTIME_API"] = address
            let process = try await Products.start(function, environment: environment)
            let reports = try await behavior.waitForReports(1, timeout: .seconds(30))
            let reportedAt = Date()
            process.signal(SIGTERM)
            let outcome = try await process.wait(timeout: .seconds(10))
            #expect(
                reportedAt < deadline,
                "reported \(reportedAt.timeIntervalSince(deadline)) s after the deadline; stderr: \(outcome.stderr)")
            guard case .error("hung", _, let body) = reports.first else {
                Issue.record("expected an error report, got \(reports); stderr: \(outcome.stderr)")
                return ""
            }
            let error = try JSONDecoder().decode(LambdaErrorBody.self, from: Data(body.utf8))
            return error.errorMessage
        }
    }

    /// A server that accepts every request and never answers it.
    private static func withHangingServer(_ body: (String) async throws -> Void) async throws {
        try await TestHTTPServer.with({ _, handle in try await handle.hold() }, body: body)
    }
}
