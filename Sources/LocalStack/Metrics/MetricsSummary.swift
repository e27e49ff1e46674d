import Foundation
import PipelineCore

/// The functions' EMF metrics read back from their logs, as CloudWatch would extract them, and
/// summed up per stage and per model: what `collections local metrics` prints.
public struct MetricsSummary: Sendable {
    /// One function's events.
    public struct Stage: Sendable, Equatable {
        /// The `Function` dimension.
        public var function: String
        /// Events handled, ignored and failed.
        public var handled = 0, ignored = 0, failed = 0
        /// Each event's duration, in milliseconds, in log order.
        public var durations: [Double] = []
        /// Failed events per error code.
        public var failures: [String: Int] = [:]
    }

    /// What one function spent on one model.
    public struct Usage: Sendable, Equatable {
        /// The `Function` and `Model` dimensions.
        public var function: String, model: String
        /// Claude calls (images analysed by the model) and their tokens.
        public var calls = 0
        /// Claude input, output and thinking tokens, summed.
        public var inputTokens = 0.0, outputTokens = 0.0, thinkingTokens = 0.0
        /// Dollars at list price, summed; nil when no call had a price.
        public var costUSD: Double?
        /// Embedder invocations, the events they held, and the Voyage tokens they used.
        public var batches = 0, batchedEvents = 0.0, embeddingTokens = 0.0
    }

    /// Per function, in order of first appearance.
    public var stages: [Stage] = []
    /// Per function and model, in order of first appearance.
    public var usage: [Usage] = []
    /// Every datapoint read, in log order.
    public var datapoints: [MetricDatapoint] = []

    /// Sums up datapoints.
    public init(datapoints: [MetricDatapoint]) {
        self.datapoints = datapoints
        for point in datapoints where point.namespace == PipelineMetric.namespace {
            guard let metric = PipelineMetric(rawValue: point.name),
                let function = point.dimensions[PipelineMetric.functionDimension]
            else { continue }
            let total = point.values.reduce(0, +)
            if let model = point.dimensions[PipelineMetric.modelDimension] {
                update(usage: function, model) { usage in
                    switch metric {
                    case .inputTokens:
                        usage.calls += point.values.count
                        usage.inputTokens += total
                    case .outputTokens: usage.outputTokens += total
                    case .thinkingTokens: usage.thinkingTokens += total
                    case .costUSD: usage.costUSD = (usage.costUSD ?? 0) + total
                    case .embeddingTokens: usage.embeddingTokens += total
                    case .batchSize:
                        usage.batches += point.values.count
                        usage.batchedEvents += total
                    default: break
                    }
                }
                continue
            }
            if let code = point.dimensions[PipelineMetric.errorCodeDimension] {
                if metric == .failed { update(stage: function) { $0.failures[code, default: 0] += Int(total) } }
                continue
            }
            update(stage: function) { stage in
                switch metric {
                case .handled: stage.handled += Int(total)
                case .ignored: stage.ignored += Int(total)
                case .failed: stage.failed += Int(total)
                case .duration: stage.durations += point.values
                default: break
                }
            }
        }
    }

    /// Reads every `*.log` file in `folder`: lines that are not EMF documents are skipped.
    public static func read(logs folder: URL) throws -> MetricsSummary {
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "log" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var points: [MetricDatapoint] = []
        for file in files {
            let data = try Data(contentsOf: file)
            for line in data.split(separator: UInt8(ascii: "\n")) where line.contains(UInt8(ascii: "_")) {
                points += MetricDatapoint.parse(line: Data(line)) ?? []
            }
        }
        return MetricsSummary(datapoints: points)
    }

    /// The value below which `fraction` of the durations fall (nearest rank); nil without any.
    public static func percentile(_ fraction: Double, of values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    private mutating func update(stage function: String, _ change: (inout Stage) -> Void) {
        if let index = stages.firstIndex(where: { $0.function == function }) {
            change(&stages[index])
        } else {
            var stage = Stage(function: function)
            change(&stage)
            stages.append(stage)
        }
    }

    private mutating func update(usage function: String, _ model: String, _ change: (inout Usage) -> Void) {
        if let index = usage.firstIndex(where: { $0.function == function && $0.model == model }) {
            change(&usage[index])
        } else {
            var entry = Usage(function: function, model: model)
            change(&entry)
            usage.append(entry)
        }
    }
}
