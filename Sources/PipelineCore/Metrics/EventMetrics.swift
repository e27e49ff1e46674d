import Synchronization

/// The metric values one event (or one batch handled whole) records while it is handled: the
/// stages add tokens and dollars to ``current`` without knowing how they are written.
public final class EventMetrics: Sendable {
    /// The bag of the event being handled; nil outside the functions' runner.
    @TaskLocal public static var current: EventMetrics?

    private let state = Mutex(State())

    private struct State {
        var values: [PipelineMetric: Double] = [:]
        var model: String?
    }

    /// An empty bag.
    public init() {}

    /// Adds `value` to `metric` (counts and tokens add up), recording the model it is for.
    public func add(_ metric: PipelineMetric, _ value: Double, model: String? = nil) {
        state.withLock { state in
            state.values[metric, default: 0] += value
            if let model { state.model = model }
        }
    }

    /// Adds to the current event's bag, if there is one.
    public static func record(_ metric: PipelineMetric, _ value: Double, model: String? = nil) {
        current?.add(metric, value, model: model)
    }

    /// The values recorded so far.
    public var values: [PipelineMetric: Double] { state.withLock { $0.values } }
    /// The model the values are for, if one was named.
    public var model: String? { state.withLock { $0.model } }
}
