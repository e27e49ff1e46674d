import Foundation
import LocalStack
import PipelineCore
import Testing

@testable import TestSupport

/// The template's dashboard shows the functions' EMF metrics and the queues' own, refers only to
/// metrics that exist, and every alarm links to it. That the functions really emit each metric
/// is `LocalStackEndToEndTests`' part: it reads the dashboard and a local run's EMF lines.
@Suite struct DashboardTests {
    /// One metric a widget refers to.
    struct Reference: Hashable, CustomStringConvertible {
        var namespace: String
        var name: String
        var dimensions: [String]
        var description: String { "\(namespace)/\(name) by \(dimensions.joined(separator: ","))" }
    }

    static func template() throws -> TemplateValue {
        try TemplateValue.parse(
            yaml: String(contentsOf: TestEnvironment.file("infrastructure/template.yaml"), encoding: .utf8))
    }

    /// The dashboard's `Fn::Sub` text, and its body with each `${…}` filled with a placeholder.
    static func body() throws -> (sub: String, json: [String: Any]) {
        let dashboard = try #require(try template()["Resources"]?["Dashboard"])
        #expect(dashboard["Type"]?.text == "AWS::CloudWatch::Dashboard")
        let sub = try #require(dashboard["Properties"]?["DashboardBody"]?["Fn::Sub"]?.text)
        let filled = sub.replacing(/\$\{([A-Za-z0-9:.]+)\}/) { "placeholder-\($0.1)" }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(filled.utf8)) as? [String: Any])
        return (sub, json)
    }

    /// Every metric the dashboard's metric widgets graph: from metric arrays, and from the
    /// `SEARCH('{Namespace,Dim,…} MetricName="X" …')` expressions.
    static func references() throws -> [Reference] {
        let widgets = try #require(try body().json["widgets"] as? [[String: Any]])
        var references: [Reference] = []
        for widget in widgets where widget["type"] as? String == "metric" {
            let metrics = try #require((widget["properties"] as? [String: Any])?["metrics"] as? [[Any]])
            for metric in metrics {
                if let expression = (metric.first as? [String: Any])?["expression"] as? String {
                    let searches = expression.matches(of: /SEARCH\('\{([^}]*)\} MetricName="(\w+)"/)
                    #expect(!searches.isEmpty, "\(expression)")
                    for search in searches {
                        let schema = search.1.split(separator: ",").map(String.init)
                        references.append(
                            Reference(
                                namespace: schema[0], name: String(search.2), dimensions: Array(schema.dropFirst())))
                    }
                } else {
                    let names = metric.compactMap { $0 as? String }
                    try #require(names.count >= 2 && names.count % 2 == 0, "\(metric)")
                    let dimensions = stride(from: 2, to: names.count, by: 2).map { names[$0] }
                    references.append(Reference(namespace: names[0], name: names[1], dimensions: dimensions))
                }
            }
        }
        return references
    }

    /// The names of our metrics the dashboard graphs.
    static func ourMetrics() throws -> Set<String> {
        Set(try references().filter { $0.namespace == PipelineMetric.namespace }.map(\.name))
    }

    @Test func everyWidgetGraphsAMetricWeEmitOrAQueueMetric() throws {
        let references = try Self.references()
        #expect(references.count > 20)
        for reference in references {
            switch reference.namespace {
            case PipelineMetric.namespace:
                let metric = try #require(PipelineMetric(rawValue: reference.name), "\(reference) is not emitted")
                #expect(
                    metric.dimensionSets.map { Set($0) }.contains(Set(reference.dimensions)),
                    "\(reference): emitted by \(metric.dimensionSets)")
            case "AWS/SQS":
                #expect(
                    ["ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage"].contains(reference.name)
                        && reference.dimensions == ["QueueName"], "\(reference)")
            default:
                Issue.record("\(reference): a namespace the dashboard should not need")
            }
        }
    }

    @Test func everyMetricWeEmitIsOnTheDashboard() throws {
        #expect(try Self.ourMetrics() == Set(PipelineMetric.allCases.map(\.rawValue)))
    }

    @Test func theBodyNamesOnlyTheTemplatesResourcesAndEveryAlarm() throws {
        let template = try Self.template()
        let resources = try #require(template["Resources"]?.map)
        let (sub, json) = try Self.body()
        for match in sub.matches(of: /\$\{([A-Za-z0-9:]+)(\.[A-Za-z]+)?\}/) {
            let name = String(match.1)
            #expect(name.hasPrefix("AWS::") || resources[name] != nil, "${\(name)} names nothing in the template")
        }
        let alarms = Set(resources.filter { $0.value["Type"]?.text == "AWS::CloudWatch::Alarm" }.keys)
        let widgets = try #require(json["widgets"] as? [[String: Any]])
        let shown = widgets.filter { $0["type"] as? String == "alarm" }
            .flatMap { ($0["properties"] as? [String: Any])?["alarms"] as? [String] ?? [] }
        let names = alarms.compactMap { resources[$0]?["Properties"]?["AlarmName"]?["Fn::Sub"]?.text }
        #expect(names.count == alarms.count)
        let arn = "arn:placeholder-AWS::Partition:cloudwatch:placeholder-AWS::Region:placeholder-AWS::AccountId:alarm:"
        #expect(
            Set(shown)
                == Set(
                    names.map {
                        arn + $0.replacingOccurrences(of: "${AWS::StackName}", with: "placeholder-AWS::StackName")
                    }))
    }

    @Test func everyAlarmLinksToTheDashboard() throws {
        let template = try Self.template()
        let resources = try #require(template["Resources"]?.map)
        let name = try #require(resources["Dashboard"]?["Properties"]?["DashboardName"]?["Fn::Sub"]?.text)
        let link = "#dashboards/dashboard/\(name)"
        #expect(template["Outputs"]?["DashboardUrl"]?["Value"]?["Fn::Sub"]?.text?.hasSuffix(link) == true)
        for (id, resource) in resources where resource["Type"]?.text == "AWS::CloudWatch::Alarm" {
            let description = resource["Properties"]?["AlarmDescription"]?["Fn::Sub"]?.text ?? ""
            #expect(description.contains("https://${AWS::Region}.console.aws.amazon.com/cloudwatch/home"), "\(id)")
            #expect(description.hasSuffix(link), "\(id)")
            #expect(description.count <= 1024, "\(id): AlarmDescription is at most 1,024 characters")
        }
    }
}
