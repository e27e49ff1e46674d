import Foundation
import TestSupport
import Testing

/// The real function binaries serving an in-test Runtime API.
@Suite struct BootstrapTests {
    private let base = ["AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "x"]

    @Test func aConfigurationErrorGoesToInitErrorAndTheProcessExits() async throws {
        let behavior = ScriptedRuntime([])
        try await RuntimeAPIServer.with(behavior) { address in
            var environment = base
            environment["AWS_LAMBDA_RUNTIME_API"] = address
            environment["COLLECTIONS_THUMBNAIL_SIZE"] = "huge"
            let outcome = try await Products.run("ImageProcessor", environment: environment, timeout: .seconds(30))
            #expect(outcome.status == 1)
            let reports = behavior.reports.all
            #expect(reports.count == 1)
            guard case .initError(let type, let body) = reports.first else {
                Issue.record("expected an init error, got \(reports)")
                return
            }
            #expect(type == "ConfigurationError")
            #expect(body.contains("COLLECTIONS_THUMBNAIL_SIZE must be an integer from 16 to 4096"))
            #expect(behavior.nextCalls.count == 0)
        }
    }

    @Test func sigtermEndsTheLoopCleanly() async throws {
        let behavior = ScriptedRuntime([])
        try await RuntimeAPIServer.with(behavior) { address in
            var environment = base
            environment["AWS_LAMBDA_RUNTIME_API"] = address
            environment["DATABASE_URL"] = "postgres://nobody:secret@127.0.0.1:1/none"
            environment["VOYAGE_API_KEY"] = "pa-unused"
            let process = try await Products.start("Embedder", environment: environment)
            let start = ContinuousClock.now
            while behavior.nextCalls.count == 0 {
                guard ContinuousClock.now - start < .seconds(30), process.isRunning else {
                    let outcome = try await process.wait(timeout: .seconds(5))
                    Issue.record("Embedder never asked for an event: \(outcome.stderr)")
                    return
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            process.signal(SIGTERM)
            let outcome = try await process.wait(timeout: .seconds(10))
            #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
            #expect(outcome.stderr.contains("runtime loop stopped"))
        }
    }

    @Test func imageProcessorServesInvocationsAndReportsBadEvents() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bootstrap-\(UUID().uuidString)")
        let original = root.appendingPathComponent("objects/collections-local/demo/red.jpg")
        try FileManager.default.createDirectory(
            at: original.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestEnvironment.file("fixtures/images/red.jpg"), to: original)
        defer { try? FileManager.default.removeItem(at: root) }
        let behavior = ScriptedRuntime([
            .init(id: "good", event: try TestEnvironment.data("events/s3-put.json")),
            .init(id: "bad", event: Data(#"{"Records":[{"eventName":"ObjectCreated:Put"}]}"#.utf8)),
        ])
        try await RuntimeAPIServer.with(behavior) { address in
            // Local folders for objects and events: no AWS variables needed.
            var environment = ["AWS_LAMBDA_RUNTIME_API": address]
            environment["COLLECTIONS_LOCAL_ROOT"] = root.appendingPathComponent("objects").path
            environment["COLLECTIONS_LOCAL_EVENTS"] = root.appendingPathComponent("events").path
            let process = try await Products.start("ImageProcessor", environment: environment)
            let reports = try await behavior.waitForReports(2)
            process.signal(SIGTERM)
            let outcome = try await process.wait(timeout: .seconds(10))
            #expect(outcome.status == 0)
            guard case .response("good", let body) = reports[0] else {
                Issue.record("expected a response first: \(reports)")
                return
            }
            #expect(body.contains(#""processed""#))
            guard case .error("bad", let type, let message) = reports[1] else {
                Issue.record("expected an error second: \(reports)")
                return
            }
            #expect(type == "EventError.missingField")
            #expect(message.contains("Records[0]"))
            let events = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("events").path)
            #expect(events.count == 1 && events[0].contains("ImageProcessed"))
            #expect(outcome.stderr.contains(#""aws_request_id":"good""#))
        }
    }
}
