import Foundation
import PipelineCore
import Testing

/// An EMF line holds to the specification, and reading it back gives what CloudWatch would
/// publish: each metric under each of its dimension sets, nothing from a line that breaks a rule.
@Suite struct MetricDocumentTests {
    let timestamp = Date(timeIntervalSince1970: 1_796_000_000.123)

    @Test func aFailureIsPublishedPerFunctionAndPerErrorCode() throws {
        let document = MetricDocument(
            timestamp: timestamp, dimensions: ["Function": "stack-analyzer", "ErrorCode": "ClaudeError.overloaded"],
            values: [.failed: 1, .duration: 812.5], properties: ["message_id": "m-1"])
        let root = try #require(try JSONSerialization.jsonObject(with: document.json) as? [String: Any])
        let metadata = try #require(root["_aws"] as? [String: Any])
        #expect(metadata["Timestamp"] as? Int == 1_796_000_000_123)
        let directives = try #require(metadata["CloudWatchMetrics"] as? [[String: Any]])
        #expect(directives.count == 2)
        for directive in directives {
            #expect(directive["Namespace"] as? String == "collections")
            for set in directive["Dimensions"] as? [[String]] ?? [] {
                for key in set { #expect(root[key] is String, "dimension \(key) is a root string") }
            }
            for metric in directive["Metrics"] as? [[String: String]] ?? [] {
                #expect(root[metric["Name"] ?? ""] is NSNumber, "metric \(metric) is a root number")
            }
        }
        #expect(root["message_id"] as? String == "m-1")

        let points = try #require(MetricDatapoint.parse(line: document.json))
        let failed = points.filter { $0.name == "Failed" }.map(\.dimensions)
        #expect(
            Set(failed) == [
                ["Function": "stack-analyzer"], ["Function": "stack-analyzer", "ErrorCode": "ClaudeError.overloaded"],
            ])
        let duration = try #require(points.first { $0.name == "Duration" })
        #expect(duration.values == [812.5] && duration.unit == "Milliseconds" && duration.dimensions.count == 1)
    }

    @Test func tokensAndCostArePublishedPerModel() throws {
        let document = MetricDocument(
            timestamp: timestamp, dimensions: ["Function": "f", "Model": "claude-haiku-5-5"],
            values: [.handled: 1, .inputTokens: 1800, .costUSD: 0.00021])
        let points = try #require(MetricDatapoint.parse(line: document.json))
        #expect(points.first { $0.name == "Handled" }?.dimensions == ["Function": "f"])
        #expect(
            points.first { $0.name == "InputTokens" }?.dimensions == ["Function": "f", "Model": "claude-haiku-5-5"])
        #expect(points.first { $0.name == "CostUSD" }?.values == [0.00021])
    }

    @Test func aModelMetricWithoutItsModelIsNotPublished() throws {
        let document = MetricDocument(timestamp: timestamp, dimensions: ["Function": "f"], values: [.inputTokens: 5])
        #expect(document.directives.isEmpty)
    }

    @Test(arguments: [
        (#"{"Function":"f","Handled":true}"#, "a boolean is not a number"),
        (#"{"Function":"f"}"#, "the metric's member is missing"),
        (#"{"Function":1,"Handled":1}"#, "a dimension value is not a string"),
    ])
    func aLineThatBreaksTheSpecificationPublishesNothing(root: String, why: String) throws {
        let metadata =
            #""_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"collections","Dimensions":[["Function"]],"Metrics":[{"Name":"Handled","Unit":"Count"}]}]}"#
        let line = root.dropLast() + "," + metadata + "}"
        #expect(MetricDatapoint.parse(line: Data(line.utf8)) == nil, "\(why)")
    }

    @Test func anArrayOfValuesIsManyDatapoints() throws {
        let line =
            #"{"Function":"f","Duration":[1,2,3],"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"collections","Dimensions":[["Function"]],"Metrics":[{"Name":"Duration"}]}]}}"#
        #expect(MetricDatapoint.parse(line: Data(line.utf8))?.first?.values == [1, 2, 3])
        #expect(MetricDatapoint.parse(line: Data(#"{"level":"info","message":"hello"}"#.utf8)) == nil)
    }

    @Test func aClaudeCallRecordsItsTokensAndListPrice() async throws {
        let bag = EventMetrics()
        let usage = TokenUsage(inputTokens: 1_900, outputTokens: 120, thinkingTokens: 0, cacheReadTokens: 100)
        EventMetrics.$current.withValue(bag) { EventMetrics.record(usage: usage, model: "claude-haiku-5-5") }
        let price = try #require(PriceList.price(for: "claude-haiku-5-5"))
        #expect(bag.values[.inputTokens] == 2_000 && bag.values[.outputTokens] == 120)
        #expect(bag.values[.thinkingTokens] == 0 && bag.model == "claude-haiku-5-5")
        let expected = price.cost(inputTokens: 1_900, outputTokens: 120, cacheReadTokens: 100)
        #expect(bag.values[.costUSD] == expected && expected > 0)
        // An unlisted model's tokens are recorded, its cost is not guessed.
        let unlisted = EventMetrics()
        EventMetrics.$current.withValue(unlisted) { EventMetrics.record(usage: usage, model: "claude-next") }
        #expect(unlisted.values[.inputTokens] == 2_000 && unlisted.values[.costUSD] == nil)
    }
}
