import Foundation
import LocalStack
import Logging
import PipelineCore
import TestSupport
import Testing

/// The local function host: one process, one invocation at a time, Lambda's timeouts and restarts.
@Suite struct FunctionHostTests {
    private func withHost<T: Sendable>(
        timeout: Duration = .seconds(10), environment: [String: String] = [:],
        _ body: (FunctionHost) async throws -> T
    ) async throws -> T {
        let host = FunctionHost(
            configuration: .init(
                name: "test", executable: TestEnvironment.file("fixtures/runtime/test_bootstrap.py"),
                environment: ProcessInfo.processInfo.environment.filter { $0.key == "PATH" }.merging(environment) {
                    $1
                }, timeout: timeout),
            logger: Logger(label: "test"))
        try await host.start()
        do {
            let result = try await body(host)
            await host.stop()
            return result
        } catch {
            await host.stop()
            throw error
        }
    }

    private func answer(_ outcome: InvocationOutcome) throws -> [String: Any] {
        guard case .success(let body) = outcome else {
            Issue.record("expected a response, got \(outcome)")
            return [:]
        }
        return try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
    }

    @Test func answersInvocationsOneAtATimeInOneProcess() async throws {
        try await withHost { host in
            let first = try answer(await host.invoke(Data(#"{"echo": "one"}"#.utf8)))
            let second = try answer(await host.invoke(Data(#"{"echo": "two"}"#.utf8)))
            #expect(first["echo"] as? String == "one" && second["echo"] as? String == "two")
            #expect(first["pid"] as? Int == second["pid"] as? Int)
            let deadline = try #require(first["deadline_ms"] as? Double)
            #expect(abs(deadline / 1000 - Date().timeIntervalSince1970 - 10) < 5)
            #expect(await host.starts == 1)
        }
    }

    @Test func aFunctionErrorIsReportedAndTheProcessKept() async throws {
        try await withHost { host in
            let outcome = await host.invoke(Data(#"{"fail": "no such item"}"#.utf8))
            #expect(outcome == .failure(type: "TestError", message: "no such item"))
            _ = try answer(await host.invoke(Data(#"{"echo": 1}"#.utf8)))
            #expect(await host.starts == 1)
        }
    }

    @Test func anOverrunIsATimeoutAndTheProcessIsReplaced() async throws {
        try await withHost(timeout: .seconds(1)) { host in
            let started = ContinuousClock.now
            let outcome = await host.invoke(Data(#"{"sleep": 30}"#.utf8))
            #expect(outcome == .failure(type: "Sandbox.Timedout", message: "Task timed out after 1.0 seconds"))
            #expect(ContinuousClock.now - started < .seconds(5))
            let next = try answer(await host.invoke(Data(#"{"echo": "after"}"#.utf8)))
            #expect(next["echo"] as? String == "after")
            #expect(await host.starts == 2)
        }
    }

    @Test func aCrashFailsTheInvocationAndTheProcessIsReplaced() async throws {
        try await withHost { host in
            let outcome = await host.invoke(Data(#"{"crash": 3}"#.utf8))
            #expect(
                outcome
                    == .failure(type: "Runtime.ExitError", message: "test exited with status 3 during the invocation"))
            _ = try answer(await host.invoke(Data(#"{"echo": "again"}"#.utf8)))
            #expect(await host.starts == 2)
        }
    }

    @Test func anInitErrorFailsInvocationsWithItsMessage() async throws {
        try await withHost(environment: ["TEST_BOOTSTRAP_INIT_ERROR": "1"]) { host in
            let outcome = await host.invoke(Data(#"{"echo": 1}"#.utf8))
            guard case .failure(let type, let message) = outcome else {
                Issue.record("expected a failure, got \(outcome)")
                return
            }
            #expect(type == "ConfigurationError" && message.contains("TEST_BOOTSTRAP_INIT_ERROR is set"))
        }
    }

    @Test func theRealImageProcessorMakesAThumbnail() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("host-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let objects = root.appendingPathComponent("objects/collections-local/demo")
        try FileManager.default.createDirectory(at: objects, withIntermediateDirectories: true)
        try TestEnvironment.data("fixtures/images/red.jpg").write(to: objects.appendingPathComponent("red.jpg"))
        let host = FunctionHost(
            configuration: .init(
                name: "ImageProcessor", executable: try Products.path("ImageProcessor"),
                environment: [
                    "COLLECTIONS_LOCAL_ROOT": root.appendingPathComponent("objects").path,
                    "COLLECTIONS_LOCAL_EVENTS": root.appendingPathComponent("events").path,
                ], timeout: .seconds(30)),
            logger: Logger(label: "test"))
        try await host.start()
        let outcome = await host.invoke(try TestEnvironment.data("events/s3-put.json"))
        await host.stop()
        let body = try answer(outcome)
        #expect("\(body)".contains("thumbnails/demo/red.jpg"), "\(body)")
        #expect(
            FileManager.default.fileExists(
                atPath: root.appendingPathComponent("objects/collections-local/thumbnails/demo/red.jpg.jpg").path))
    }
}
