import Foundation

/// A metric value as CloudWatch Logs extracts it from an EMF line: what `collections local
/// metrics` reads from the functions' logs, so the lines are checked end to end without
/// CloudWatch.
public struct MetricDatapoint: Sendable, Equatable {
    /// The directive's namespace.
    public var namespace: String
    /// The metric's name.
    public var name: String
    /// Its unit, if the directive gave one.
    public var unit: String?
    /// The dimension values of the set it was published under.
    public var dimensions: [String: String]
    /// The values (EMF allows a number or an array of numbers).
    public var values: [Double]
    /// When it was measured, in milliseconds since the epoch.
    public var timestamp: Int64

    /// Creates a datapoint.
    public init(
        namespace: String, name: String, unit: String?, dimensions: [String: String], values: [Double],
        timestamp: Int64
    ) {
        self.namespace = namespace
        self.name = name
        self.unit = unit
        self.dimensions = dimensions
        self.values = values
        self.timestamp = timestamp
    }

    /// The datapoints of one log line, as the EMF specification has CloudWatch read them: one
    /// per metric per dimension set of each directive.
    /// - Returns: nil when the line is not an EMF document, or breaks the specification (a
    ///   missing or non-numeric target member, a dimension that is not a string, a missing
    ///   `Timestamp`): CloudWatch would not publish it either.
    public static func parse(line: Data) -> [MetricDatapoint]? {
        guard let root = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
            let metadata = root["_aws"] as? [String: Any],
            let directives = metadata["CloudWatchMetrics"] as? [[String: Any]],
            let timestamp = (metadata["Timestamp"] as? NSNumber)?.int64Value
        else { return nil }
        var points: [MetricDatapoint] = []
        for directive in directives {
            guard let namespace = directive["Namespace"] as? String, !namespace.isEmpty,
                let sets = directive["Dimensions"] as? [[String]],
                let metrics = directive["Metrics"] as? [[String: Any]], metrics.count <= 100
            else { return nil }
            for set in sets {
                guard set.count <= 30 else { return nil }
                var dimensions: [String: String] = [:]
                for key in set {
                    guard let value = root[key] as? String else { return nil }
                    dimensions[key] = value
                }
                for metric in metrics {
                    guard let name = metric["Name"] as? String, let values = numbers(root[name]) else { return nil }
                    points.append(
                        MetricDatapoint(
                            namespace: namespace, name: name, unit: metric["Unit"] as? String,
                            dimensions: dimensions, values: values, timestamp: timestamp))
                }
            }
        }
        return points
    }

    /// A number, or an array of at most 100 numbers; JSON booleans are not numbers.
    private static func numbers(_ value: Any?) -> [Double]? {
        func number(_ value: Any) -> Double? {
            // JSONSerialization gives true and false as NSNumbers of Objective-C type `c` (char);
            // no JSON number parses to that type.
            guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
            return number.doubleValue
        }
        if let array = value as? [Any] {
            let parsed = array.compactMap(number)
            return parsed.count == array.count && array.count <= 100 ? parsed : nil
        }
        return value.flatMap(number).map { [$0] }
    }
}
