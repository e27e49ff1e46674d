import Foundation
import LocalStack
import PipelineCore
import Testing

@testable import TestSupport

/// The whole local stack, as a user drives it: `collections local up`, uploads with the `aws`
/// CLI, a `put-events` replay, a corrupt upload, failures and redrive, search, `local down`.
@Suite(
    .enabled(if: TestEnvironment.databaseEnabled && MotoServer.enabled, "needs PostgreSQL and moto (scripts/test)"),
    .serialized)
struct LocalStackEndToEndTests {
    @Test func uploadsReplaysAndFailuresOnTheLocalStack() async throws {
        try await ScratchDatabase.with("local_stack_e2e") { database in
            let stateDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "collections-local-\(UUID().uuidString.prefix(8))")
            let environment = LocalStackCLI.environment(stateDirectory: stateDirectory)
            func collections(_ arguments: [String], timeout: Duration = .seconds(120)) async throws -> Products.Outcome
            {
                try await Products.run("collections", arguments: arguments, environment: environment, timeout: timeout)
            }

            let up = try await collections([
                "local", "up", "--database", "local_stack_e2e", "--processes", "1", "--retry-delay-ms", "200",
            ])
            #expect(up.status == 0, "\(up.stdout)\n\(up.stderr)")
            var stopped = false
            defer { if !stopped { LocalStackCLI.down(environment: environment) } }
            guard up.status == 0, let stack = try StackState.load(from: stateDirectory) else { return }
            #expect(up.stdout.contains("s3 cp"), "up prints ready-to-paste commands")
            #expect(stack.bucket == "collections-local" && stack.bus == "collections")
            let aws = AWSCommand(stack: stack)

            // 1. Uploads with the aws CLI become rows: an item, one analysis, one vector each.
            let photos = try Array(TestEnvironment.photoFiles().prefix(2))
            let keys = ["alice/first photo.jpg", "alice/second.jpg"]
            for (photo, key) in zip(photos, keys) {
                let copy = try await aws.run(["s3", "cp", photo.path, "s3://\(stack.bucket)/\(key)"])
                #expect(copy.status == 0, "\(copy.stderr)")
            }
            try await waitFor("two embedded items", timeout: .seconds(90)) {
                try await ScratchDatabase.count("embeddings", in: database) == 2
            }
            #expect(try await ScratchDatabase.count("items", in: database) == 2)
            #expect(try await ScratchDatabase.count("analyses", in: database) == 2)

            // Search through the stack's own embedder finds them, with thumbnail keys under derived/.
            let search = try await collections(["search", "a photo", "--user", "alice", "--limit", "5"])
            #expect(search.status == 0, "\(search.stderr)")
            #expect(search.stdout.contains("alice/second.jpg") && search.stdout.contains("derived/thumbnails/alice/"))

            // 2. A put-events replay of ImageProcessed runs the Analyzer again; still one analysis.
            let itemID = ItemID.of(bucket: stack.bucket, key: "alice/second.jpg").uuidString.lowercased()
            let analyzerRuns = { try analyzerInvocations(stateDirectory, mentioning: itemID) }
            let before = try analyzerRuns()
            let event = try await collections(["event", "image-processed", "alice/second.jpg"])
            #expect(event.status == 0, "\(event.stderr)")
            let entries = stateDirectory.appendingPathComponent("replay.json")
            try Data(event.stdout.utf8).write(to: entries)
            let put = try await aws.run(["events", "put-events", "--entries", "file://\(entries.path)"])
            #expect(put.status == 0 && put.stdout.contains("\"FailedEntryCount\": 0"), "\(put.stdout)\(put.stderr)")
            try await waitFor("the Analyzer to run again", timeout: .seconds(60)) { try analyzerRuns() > before }
            #expect(try await ScratchDatabase.count("analyses", in: database) == 2)
            //    The same replay naming a version the bucket no longer holds is ignored.
            let etag = try #require(event.stdout.firstMatch(of: /\\"etag\\":\\"([^\\]+)\\"/)?.1)
            try Data(event.stdout.replacingOccurrences(of: String(etag), with: "0123456789abcdef").utf8).write(
                to: entries)
            let stale = try await aws.run(["events", "put-events", "--entries", "file://\(entries.path)"])
            #expect(stale.status == 0, "\(stale.stderr)")
            try await waitFor("the stale replay to be ignored", timeout: .seconds(60)) {
                try MetricsSummary.read(logs: stateDirectory.appendingPathComponent("logs")).stages
                    .contains { $0.function.hasSuffix("analyzer") && $0.ignored == 1 }
            }

            // 3. A corrupt upload fails every attempt, lands in the dead-letter queue with a clear
            //    error, and writes no rows.
            let corrupt = TestEnvironment.file("fixtures/images/truncated.jpg")
            #expect(try await aws.run(["s3", "cp", corrupt.path, "s3://\(stack.bucket)/alice/broken.jpg"]).status == 0)
            var failures: [DeadLetters.Failure] = []
            try await waitFor("the corrupt upload in the dead-letter queue", timeout: .seconds(60)) {
                failures = try await listFailures(collections)
                return !failures.isEmpty
            }
            let failure = try #require(failures.first)
            #expect(failures.count == 1)
            #expect(failure.function.hasSuffix("image-processor") && failure.subject == "alice/broken.jpg")
            #expect(failure.attempts == 1, "a corrupt image cannot pass a retry: dead-lettered at once")
            #expect(failure.errorType == "StageError", "\(failure.errorType)")
            #expect(failure.errorMessage.contains("alice/broken.jpg"), "\(failure.errorMessage)")
            // Its item row records the refusal (through ImageFailed and the Analyzer), with no analysis.
            try await waitFor("the refusal recorded on the item", timeout: .seconds(30)) {
                try await ScratchDatabase.count("items", in: database) == 3
            }
            let refused = try await database.client.query(
                "SELECT status, error_stage, error_code FROM items WHERE object_key = 'alice/broken.jpg'")
            var refusals = 0
            for try await (status, stage, code) in refused.decode((String, String, String).self) {
                refusals += 1
                #expect(status == "failed" && stage == "ImageProcessor" && code == "corrupt")
            }
            #expect(refusals == 1)

            // Redrive sends it back; it fails again and returns to the dead-letter queue.
            let redrive = try await collections(["local", "redrive"])
            #expect(redrive.stdout.contains("sent 1 event"), "\(redrive.stdout)\(redrive.stderr)")
            try await waitFor("the redriven event to fail again", timeout: .seconds(60)) {
                try await listFailures(collections).count == 1
            }

            // Every metric the functions emit is in their EMF lines and in `local metrics`, and
            // the dashboard graphs exactly those.
            try await checkMetrics(
                logs: stateDirectory.appendingPathComponent("logs"),
                printed: try await collections(["local", "metrics"]))

            let status = try await collections(["local", "status"])
            #expect(status.status == 0, "\(status.stdout)\(status.stderr)")
            #expect(status.stdout.contains("3 items, 2 analyses, 2 embeddings"), "\(status.stdout)")

            // 4. down stops every process and frees every port the stack used.
            let sessions = Array(stack.processes.values)
            let ports = [stack.endpoint, stack.standInsURL ?? ""].compactMap { URL(string: $0)?.port }
            let down = try await collections(["local", "down"])
            stopped = true
            #expect(down.status == 0, "\(down.stderr)")
            for session in sessions {
                #expect(ManagedProcess(name: "", pid: session).sessionMembers.isEmpty, "session \(session) lives on")
            }
            for port in ports { #expect(!LocalPorts.inUse(port), "port \(port) still open") }
            #expect(try StackState.load(from: stateDirectory) == nil)
        }
    }
}

/// The `aws` CLI pointed at the stack.
struct AWSCommand {
    let stack: StackState

    func run(_ arguments: [String]) async throws -> Products.Outcome {
        guard let cli = ProcessInfo.processInfo.environment["COLLECTIONS_AWS_CLI"] else {
            throw TestSetupError("COLLECTIONS_AWS_CLI is not set: run the tests with scripts/test")
        }
        return try await Products.start(
            program: URL(fileURLWithPath: cli), arguments: ["--endpoint-url", stack.endpoint] + arguments,
            environment: stack.clientEnvironment
        ).wait(timeout: .seconds(60))
    }
}

/// Polls `condition` every 200 ms.
func waitFor(_ what: String, timeout: Duration, _ condition: () async throws -> Bool) async throws {
    let start = ContinuousClock.now
    while ContinuousClock.now - start < timeout {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(200))
    }
    throw TestSetupError("timed out after \(timeout) waiting for \(what)")
}

/// Invocations of the Analyzer about an item, counted in its logs by request id.
func analyzerInvocations(_ state: URL, mentioning itemID: String) throws -> Int {
    let logs = state.appendingPathComponent("logs")
    var requests = Set<String>()
    for file in try FileManager.default.contentsOfDirectory(atPath: logs.path) where file.hasPrefix("Analyzer") {
        let text = try String(contentsOf: logs.appendingPathComponent(file), encoding: .utf8)
        for line in text.split(separator: "\n") where line.contains(itemID) {
            if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let id = object["aws_request_id"] as? String
            {
                requests.insert(id)
            }
        }
    }
    return requests.count
}

/// `collections local failures --json`, decoded.
func listFailures(_ collections: ([String], Duration) async throws -> Products.Outcome) async throws
    -> [DeadLetters.Failure]
{
    let outcome = try await collections(["local", "failures", "--json"], .seconds(60))
    return try outcome.stdout.split(separator: "\n").map {
        try JSONDecoder().decode(DeadLetters.Failure.self, from: Data($0.utf8))
    }
}

/// The functions' EMF lines hold every metric of the catalogue, `collections local metrics`
/// prints them, and the dashboard graphs exactly those metrics.
func checkMetrics(logs: URL, printed: Products.Outcome) async throws {
    let summary = try MetricsSummary.read(logs: logs)
    let emitted = Set(summary.datapoints.filter { $0.namespace == PipelineMetric.namespace }.map(\.name))
    #expect(emitted == Set(PipelineMetric.allCases.map(\.rawValue)), "emitted: \(emitted.sorted())")
    #expect(try DashboardTests.ourMetrics().isSubset(of: emitted))
    let processor = try #require(summary.stages.first { $0.function.hasSuffix("image-processor") })
    #expect(processor.handled >= 2 && processor.failed >= 1 && processor.failures["StageError"] == processor.failed)
    #expect(summary.stages.count == 3 && summary.stages.allSatisfy { $0.durations.count >= 2 })
    let claude = try #require(summary.usage.first { $0.calls > 0 })
    #expect(claude.calls == 2 && claude.inputTokens > 0 && (claude.costUSD ?? 0) > 0, "\(claude)")
    #expect(summary.usage.contains { $0.batches > 0 && $0.embeddingTokens > 0 })

    #expect(printed.status == 0, "\(printed.stderr)")
    for heading in ["Stages:", "Failures by error code:", "Models (list prices):", "Batches:"] {
        #expect(printed.stdout.contains(heading), "\(printed.stdout)")
    }
    #expect(printed.stdout.contains("StageError") && printed.stdout.contains(claude.model), "\(printed.stdout)")
    try checkTraces(logs: logs)
}

/// A photo's invocations are one trace: the Analyzer handles each upload under a trace root
/// ImageProcessor's invocation started (carried in PutEvents' TraceHeader, then the queue's
/// AWSTraceHeader), and the Embedder only under roots the Analyzer had.
func checkTraces(logs: URL) throws {
    var roots: [String: [String]] = [:]
    for file in try FileManager.default.contentsOfDirectory(at: logs, includingPropertiesForKeys: nil)
    where file.pathExtension == "log" {
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") where line.contains("_aws") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let function = object["Function"] as? String, object["Handled"] != nil
            else { continue }
            roots[String(function.split(separator: "-").last ?? ""), default: []].append(
                object["trace_id"] as? String ?? "")
        }
    }
    let processor = Set(roots["processor"] ?? [])
    let analyzer = roots["analyzer"] ?? []
    let embedder = roots["embedder"] ?? []
    #expect(!processor.isEmpty && processor.allSatisfy { $0.hasPrefix("1-") }, "\(roots)")
    #expect(analyzer.filter(processor.contains).count >= 2, "uploads analysed under their upload's trace: \(roots)")
    #expect(!embedder.isEmpty && embedder.allSatisfy(Set(analyzer).contains), "\(roots)")
}
