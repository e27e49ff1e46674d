import Foundation
import LocalStack
import PipelineCore
import Testing

@testable import TestSupport

/// The stack's moto killed in the middle of a run: the runner starts it again on its port and
/// rebuilds its state from the journal (bucket and objects, bus, rules, queues, parameters), the
/// functions' clients reconnect, every upload (those before the restart are announced again)
/// ends with one item, one analysis and one embedding, and nothing is dead-lettered, with no
/// manual step. The moto is the stack's own; the shared one is never touched.
@Suite(
    .enabled(if: TestEnvironment.databaseEnabled && MotoServer.enabled, "needs PostgreSQL and moto (scripts/test)"),
    .enabled(if: TestEnvironment.photosEnabled, "needs the photos (scripts/fetch-photos)"))
struct MotoRestartTests {
    @Test func aMotoRestartMidRunIsRecoveredToTheEnd() async throws {
        try await OutageStack.with { stack in
            let photos = try Array(TestEnvironment.photoFiles().prefix(8))
            var keys = try await stack.upload(Array(photos.prefix(4)), under: "restart")
            try await waitFor("the first embedding", timeout: .seconds(90)) {
                try await stack.rowsPerItem(under: "restart").values.contains { $0.embeddings > 0 }
            }
            let embeddedBefore = try await stack.rowsPerItem(under: "restart").values.filter { $0.embeddings > 0 }.count

            let old = try #require(stack.stack.processes["moto"])
            kill(old, SIGKILL)
            let killed = ContinuousClock.now
            var restored: [String: Any]?
            try await waitFor("the runner to restart moto", timeout: .seconds(60)) {
                restored = try stack.logLines("runner").last {
                    $0["message"] as? String == "moto restarted and restored"
                }
                return restored != nil
            }
            let outage = ContinuousClock.now - killed
            let current = try #require(try StackState.load(from: stack.stateDirectory)?.processes["moto"])
            #expect(current != old && ManagedProcess(name: "moto", pid: current).isRunning)
            #expect(restored?["refused"] as? String == "0", "\(restored ?? [:])")

            keys += try await stack.upload(Array(photos.suffix(4)), under: "restart")
            try await waitFor("every upload embedded", timeout: .seconds(120)) {
                let rows = try await stack.rowsPerItem(under: "restart")
                return rows.count == keys.count && rows.values.allSatisfy { $0.embeddings > 0 }
            }
            let recovered = ContinuousClock.now - killed
            try await stack.waitUntilIdle(timeout: .seconds(120))
            let rows = try await stack.rowsPerItem(under: "restart")
            #expect(Set(rows.keys) == Set(keys))
            for (key, counts) in rows {
                #expect(counts.analyses == 1 && counts.embeddings == 1, "\(key): \(counts)")
            }
            #expect(try await stack.queueDepths() == (0, 0))
            #expect(try await listFailures { arguments, _ in try await stack.collections(arguments) }.isEmpty)

            // Whatever failed failed cleanly: while moto was down, naming the endpoint; in the moment
            // between moto answering again and the journal replay recreating the bus, queues and
            // bucket, as AWS names a missing resource.
            let failed = try
                (stack.logLines("ImageProcessor") + stack.logLines("Analyzer") + stack.logLines("Embedder"))
                .filter { $0["message"] as? String == "invocation failed" }
            for line in failed {
                let error = line["error"] as? String ?? ""
                #expect(
                    error.contains(stack.stack.endpoint) || error.contains("does not exist")
                        || error.contains("NoSuchBucket") || error.contains("NonExistentQueue"),
                    "\(line)")
            }
            let runner = try stack.logLines("runner")
            #expect(!runner.contains { ($0["message"] as? String ?? "").contains("dead-letter") })
            print(
                "moto restart: \(embeddedBefore) of 4 embedded before the kill, moto back \(outage) after it "
                    + "(\(restored?["requests_replayed"] ?? "?") requests replayed in \(restored?["ms"] ?? "?") ms), "
                    + "\(failed.count) invocations failed, all 8 embedded \(recovered) after the kill")
        }
    }
}
