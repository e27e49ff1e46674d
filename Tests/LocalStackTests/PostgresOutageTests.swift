import Foundation
import LocalStack
import PipelineCore
import Testing

@testable import TestSupport

/// PostgreSQL stopped in the middle of a run and started again seconds later: invocations
/// during the outage fail cleanly (a `DatabaseError` naming the server, within the connect
/// timeout) and are retried, and every upload ends with one item, one analysis and one
/// embedding, with nothing dead-lettered and no manual step. The stack runs on a private
/// PostgreSQL: the shared server other suites use is never stopped.
@Suite(
    .enabled(if: TestEnvironment.databaseEnabled && MotoServer.enabled, "needs PostgreSQL and moto (scripts/test)"),
    .enabled(if: TestEnvironment.photosEnabled, "needs the photos (scripts/fetch-photos)"))
struct PostgresOutageTests {
    @Test func aPostgresOutageMidRunIsRetriedToTheEnd() async throws {
        try await OutageStack.with { stack in
            // Half the photos go in before the outage, half during it.
            let photos = try Array(TestEnvironment.photoFiles().prefix(8))
            var keys = try await stack.upload(Array(photos.prefix(4)), under: "outage")
            try await waitFor("the first embedding", timeout: .seconds(90)) {
                try await stack.rowsPerItem(under: "outage").values.contains { $0.embeddings > 0 }
            }
            let embeddedBefore = try await stack.rowsPerItem(under: "outage").values.filter { $0.embeddings > 0 }.count

            try await stack.server.stop()
            let stopped = ContinuousClock.now
            keys += try await stack.upload(Array(photos.suffix(4)), under: "outage")
            try await Task.sleep(until: stopped + .seconds(10))
            try await stack.server.start()
            let outage = ContinuousClock.now - stopped

            try await waitFor("every upload embedded", timeout: .seconds(120)) {
                let rows = try await stack.rowsPerItem(under: "outage")
                return rows.count == keys.count && rows.values.allSatisfy { $0.embeddings > 0 }
            }
            let recovered = ContinuousClock.now - stopped - outage
            let rows = try await stack.rowsPerItem(under: "outage")
            #expect(Set(rows.keys) == Set(keys))
            for (key, counts) in rows {
                #expect(counts.analyses == 1 && counts.embeddings == 1, "\(key): \(counts)")
            }
            #expect(try await stack.queueDepths() == (0, 0))
            #expect(try await listFailures { arguments, _ in try await stack.collections(arguments) }.isEmpty)

            // The functions failed cleanly, naming the server and not its password.
            let address = "127.0.0.1:\(stack.server.port)"
            let password = URLComponents(string: stack.stack.databaseURL)?.password ?? "-"
            let failed = try (stack.logLines("Analyzer") + stack.logLines("Embedder")).filter {
                $0["message"] as? String == "message failed"
            }
            #expect(!failed.isEmpty, "no invocation failed during an outage of \(outage)")
            for line in failed {
                let error = line["error"] as? String ?? ""
                #expect(line["error_type"] as? String == "DatabaseError", "\(line)")
                #expect(error.contains("the database at \(address)"), "\(error)")
                #expect(!error.contains(password))
            }
            // Each went back to its queue as a batch item failure; none ran out of receives.
            let runner = try stack.logLines("runner")
            let retried = runner.filter { $0["outcome"] as? String == "BatchItemFailure" }
            #expect(retried.count == failed.count, "\(retried.count) batch item failures for \(failed.count) failures")
            let functions = try stack.logLines("Analyzer") + stack.logLines("Embedder")
            #expect(!functions.contains { ($0["message"] as? String ?? "").contains("dead-lettered") })
            print(
                "postgres outage: \(outage) down, \(embeddedBefore) of \(keys.count) embedded before, "
                    + "\(failed.count) invocations failed and were retried, all embedded \(recovered) after the restart; "
                    + "the first error: \(failed.first?["error"] ?? "-")")
        }
    }
}
