import Foundation

/// Writes a function's metrics as EMF lines into its log (standard error, which Lambda sends to
/// CloudWatch Logs with the rest of the log): no CloudWatch API call, no agent.
public struct MetricsLog: Sendable {
    /// The `Function` dimension: the function's name.
    public let function: String
    private let write: @Sendable (Data) -> Void

    /// Creates a log.
    /// - Parameter write: takes one line, newline included; by default the JSON log's output.
    public init(function: String, write: @escaping @Sendable (Data) -> Void = JSONLogHandler.write(line:)) {
        self.function = function
        self.write = write
    }

    /// The log of the function running here: named by `AWS_LAMBDA_FUNCTION_NAME` (set by Lambda
    /// and by the local stack), else by `executable`.
    public static func function(
        _ executable: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> MetricsLog {
        MetricsLog(function: environment["AWS_LAMBDA_FUNCTION_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? executable)
    }

    /// A log that writes nothing.
    public static let discarded = MetricsLog(function: "none") { _ in }

    /// Writes one event's outcome (``PipelineMetric/handled``, ``PipelineMetric/ignored`` or
    /// ``PipelineMetric/failed`` with its error code), its duration, and what it recorded.
    public func outcome(
        _ outcome: EventOutcome, duration: Duration, recorded: EventMetrics?, properties: [String: String] = [:]
    ) {
        var values = recorded?.values ?? [:]
        var dimensions = [PipelineMetric.functionDimension: function]
        switch outcome {
        case .handled: values[.handled] = 1
        case .ignored: values[.ignored] = 1
        case .failed(let code):
            values[.failed] = 1
            dimensions[PipelineMetric.errorCodeDimension] = code
        }
        values[.duration] = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        if let model = recorded?.model { dimensions[PipelineMetric.modelDimension] = model }
        emit(MetricDocument(dimensions: dimensions, values: values, properties: properties))
    }

    /// Writes what a batch handled whole recorded (tokens, batch size), if anything.
    public func batch(_ recorded: EventMetrics) {
        let values = recorded.values
        guard !values.isEmpty else { return }
        var dimensions = [PipelineMetric.functionDimension: function]
        if let model = recorded.model { dimensions[PipelineMetric.modelDimension] = model }
        emit(MetricDocument(dimensions: dimensions, values: values))
    }

    private func emit(_ document: MetricDocument) {
        var line = document.json
        line.append(UInt8(ascii: "\n"))
        write(line)
    }
}

/// How one event ended, for the metrics.
public enum EventOutcome: Sendable, Equatable {
    /// Its work was done, or found already done.
    case handled
    /// Its object version was replaced or deleted.
    case ignored
    /// It failed with this error code (the Lambda `errorType`).
    case failed(String)
}
