import Foundation

/// One CloudWatch embedded metric format document: a JSON object on one log line whose `_aws`
/// member tells CloudWatch Logs which of its root members are metrics and which are dimensions.
///
/// The shape is the EMF specification's (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/
/// CloudWatch_Embedded_Metric_Format_Specification.html, read 2026-12-04): `_aws.Timestamp`
/// in milliseconds since the epoch; `_aws.CloudWatchMetrics`, an array of directives, each with
/// a `Namespace`, `Dimensions` (an array of dimension sets, each an array of at most 30 root
/// member names whose values are strings) and `Metrics` (at most 100 `{Name, Unit}`, each naming
/// a root member whose value is a number). Other root members are kept in the log but are not
/// metrics. One directive is written per dimension set, holding the metrics published under it.
public struct MetricDocument: Sendable, Equatable {
    /// When the values were measured.
    public var timestamp: Date
    /// Dimension values by key: always `Function`; `ErrorCode` and `Model` when they apply.
    public var dimensions: [String: String]
    /// The metric values.
    public var values: [PipelineMetric: Double]
    /// Other root members, for people reading the log (not metrics).
    public var properties: [String: String]

    /// Creates a document.
    public init(
        timestamp: Date = Date(), dimensions: [String: String], values: [PipelineMetric: Double],
        properties: [String: String] = [:]
    ) {
        self.timestamp = timestamp
        self.dimensions = dimensions
        self.values = values
        self.properties = properties
    }

    /// The directives: for each dimension set whose keys are all present, the metrics published
    /// under it, in catalogue order.
    public var directives: [(dimensions: [String], metrics: [PipelineMetric])] {
        var sets: [[String]] = []
        var metrics: [[String]: [PipelineMetric]] = [:]
        for metric in PipelineMetric.allCases where values[metric] != nil {
            for set in metric.dimensionSets where set.allSatisfy({ dimensions[$0] != nil }) {
                if metrics[set] == nil { sets.append(set) }
                metrics[set, default: []].append(metric)
            }
        }
        return sets.map { ($0, metrics[$0] ?? []) }
    }

    /// The document as one line of JSON (no newline), its keys sorted.
    public var json: Data {
        let directives: [[String: Any]] = directives.map { directive in
            [
                "Namespace": PipelineMetric.namespace, "Dimensions": [directive.dimensions],
                "Metrics": directive.metrics.map { ["Name": $0.rawValue, "Unit": $0.unit] },
            ]
        }
        var root: [String: Any] = properties
        for (key, value) in dimensions { root[key] = value }
        for (metric, value) in values { root[metric.rawValue] = value }
        root["_aws"] = [
            "Timestamp": Int64((timestamp.timeIntervalSince1970 * 1000).rounded(.down)),
            "CloudWatchMetrics": directives,
        ]
        return (try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])) ?? Data("{}".utf8)
    }
}
