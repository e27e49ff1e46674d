import Foundation
import Logging
import PipelineCore
import StandIns
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Fault injection in the stand-ins, and our clients riding it out.
@Suite struct StandInFaultTests {
    @Test func readsTheWrittenFaultPlan() throws {
        let plan = try FaultPlan(
            parsing: "429=0.1, 500=0.05,529=0.05,hang=0.01,latency=20ms,retry-after=1s,hang-for=2.5s,seed=7")
        #expect(plan.rateLimited == 0.1 && plan.serverError == 0.05 && plan.overloaded == 0.05 && plan.hang == 0.01)
        #expect(plan.latency == .milliseconds(20) && plan.retryAfter == .seconds(1))
        #expect(plan.hangFor == .milliseconds(2500) && plan.seed == 7)
        #expect(try FaultPlan(parsing: "") == .none)
        for bad in ["429=2", "418=0.1", "429", "latency=soon", "429=0.6,500=0.6", "seed=x"] {
            #expect(throws: FaultPlanError.self, "\(bad)") { try FaultPlan(parsing: bad) }
        }
    }

    @Test func injectsEachFaultInTheRouteShape() async throws {
        let logger = Logger(label: "test")
        for (plan, path, status, header) in [
            (FaultPlan(rateLimited: 1), "/v1/messages", 429, "retry-after"),
            (FaultPlan(overloaded: 1), "/v1/messages", 529, nil),
            (FaultPlan(overloaded: 1), "/v1/embeddings", 503, nil),
            (FaultPlan(serverError: 1), "/v1/embeddings", 500, nil),
        ] {
            let answer = try await StandInServer(faults: plan).respond(
                method: "POST", path: path, headers: [:], body: Data(), requestID: "req_1", logger: logger)
            #expect(answer.status == status)
            if let header { #expect(answer.headers.contains { $0.0 == header && $0.1 == "1" }) }
            let body = try #require(try JSONSerialization.jsonObject(with: answer.body) as? [String: Any])
            #expect(path == "/v1/embeddings" ? body["detail"] is String : body["type"] as? String == "error")
        }
    }

    @Test func clientsRideOutTwentyPercentFaults() async throws {
        let faults = try FaultPlan(parsing: "429=0.1,500=0.05,529=0.05,retry-after=5ms,seed=11")
        let image = try TestEnvironment.data("fixtures/images/red.jpg")
        try await withStandIns(faults: faults) { url in
            var claude = ClaudeConfiguration(apiKey: "sk-local")
            claude.baseURL = url
            claude.retry = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(5), maxDelay: .milliseconds(50))
            let analyzer = ClaudeAnalysisModel(configuration: claude)
            for _ in 0..<20 {
                let output = try await analyzer.analyze(
                    AnalysisInput(data: image, mediaType: "image/jpeg", originalWidth: 64, originalHeight: 64))
                #expect(output.analysis.colors.contains("red"))
            }
            var voyage = VoyageConfiguration(apiKey: "pa-local")
            voyage.baseURL = url
            voyage.retry = claude.retry
            let embedder = VoyageEmbeddingModel(configuration: voyage)
            for index in 0..<20 {
                let batch = try await embedder.embed(["red tulips \(index)", "blue sky"], as: .document)
                #expect(batch.vectors.count == 2 && batch.vectors.allSatisfy { $0.count == 1024 })
            }
            let stats = try await StandInStatistics.fetch(url)
            let faults = stats["faults"] as? [String: Int] ?? [:]
            #expect(faults.values.reduce(0, +) > 0, "no fault was injected: \(stats)")
            #expect((stats["requests"] as? [String: Int])?["/v1/messages"] ?? 0 > 20)
        }
    }

    @Test func aHungRequestTimesOutAndIsRetried() async throws {
        var faults = FaultPlan(hang: 0.5, seed: 3)
        faults.hangFor = .seconds(3)
        try await withStandIns(faults: faults) { url in
            var voyage = VoyageConfiguration(apiKey: "pa-local")
            voyage.baseURL = url
            voyage.timeout = .milliseconds(500)
            voyage.retry = RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
            let embedder = VoyageEmbeddingModel(configuration: voyage)
            for _ in 0..<4 {
                #expect(try await embedder.embed(["green leaves"], as: .document).vectors.count == 1)
            }
            let faults = try await StandInStatistics.fetch(url)["faults"] as? [String: Int] ?? [:]
            #expect(faults["hang"] ?? 0 > 0)
        }
    }

}
