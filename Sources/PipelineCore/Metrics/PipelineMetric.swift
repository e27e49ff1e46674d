/// The metrics the functions emit, in CloudWatch embedded metric format (EMF): one catalogue,
/// read by the functions, by `collections local metrics` and by the test that holds the
/// template's dashboard to what is emitted.
///
/// Dimensions are kept few, so each metric is a handful of CloudWatch series: `Function` (the
/// function's name), `ErrorCode` for failures, and `Model` where tokens and dollars depend on it.
public enum PipelineMetric: String, CaseIterable, Sendable, Codable {
    /// An event handled: its work done (or found already done).
    case handled = "Handled"
    /// An event ignored: its object version was replaced or deleted.
    case ignored = "Ignored"
    /// An event that failed, also per `ErrorCode`.
    case failed = "Failed"
    /// How long one event took, in milliseconds (for a batch handled whole, the batch's time).
    case duration = "Duration"
    /// Claude input tokens of one analysis, cache reads and writes included.
    case inputTokens = "InputTokens"
    /// Claude output tokens of one analysis, thinking included.
    case outputTokens = "OutputTokens"
    /// Of the output tokens, those spent thinking.
    case thinkingTokens = "ThinkingTokens"
    /// What one analysis cost, in US dollars, at the model catalogue's list price.
    case costUSD = "CostUSD"
    /// Voyage tokens of one Embedder invocation.
    case embeddingTokens = "EmbeddingTokens"
    /// Events in one Embedder invocation.
    case batchSize = "BatchSize"

    /// The namespace every metric goes to.
    public static let namespace = "collections"

    /// The dimension key naming the function.
    public static let functionDimension = "Function"
    /// The dimension key naming a failure's error code.
    public static let errorCodeDimension = "ErrorCode"
    /// The dimension key naming the model.
    public static let modelDimension = "Model"

    /// The EMF unit (a CloudWatch `StandardUnit`).
    public var unit: String {
        switch self {
        case .handled, .ignored, .failed, .batchSize: "Count"
        case .duration: "Milliseconds"
        case .inputTokens, .outputTokens, .thinkingTokens, .embeddingTokens, .costUSD: "None"
        }
    }

    /// The dimension sets the metric is published under.
    public var dimensionSets: [[String]] {
        switch self {
        case .handled, .ignored, .duration: [[Self.functionDimension]]
        case .failed: [[Self.functionDimension], [Self.functionDimension, Self.errorCodeDimension]]
        case .inputTokens, .outputTokens, .thinkingTokens, .costUSD, .embeddingTokens, .batchSize:
            [[Self.functionDimension, Self.modelDimension]]
        }
    }
}
