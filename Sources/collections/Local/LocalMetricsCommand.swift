import ArgumentParser
import Foundation
import LocalStack
import PipelineCore
import Tables

/// `collections local metrics`: the functions' EMF metrics, read back from their logs.
struct LocalMetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Print the metrics the functions wrote to their logs (CloudWatch embedded metric format).",
        discussion: """
            Reads the EMF lines in the stack's function logs as CloudWatch Logs would extract them: \
            per stage, events handled, ignored and failed (by error code) and their duration; per \
            model, Claude tokens and list-price cost per image, Voyage tokens and Embedder batch sizes. \
            By default only lines written since the running stack came up.
            """)

    @OptionGroup var state: StateOptions
    @Flag(help: "Include the logs of earlier stacks too.") var all = false

    func run() async throws {
        let paths = try state.paths()
        var summary = try MetricsSummary.read(logs: paths.logs)
        let stateFile = StackState.file(in: paths.state)
        if !all,
            let started = try? FileManager.default.attributesOfItem(atPath: stateFile.path)[.modificationDate] as? Date
        {
            let since = Int64((started.timeIntervalSince1970 - 60) * 1000)
            summary = MetricsSummary(datapoints: summary.datapoints.filter { $0.timestamp >= since })
        }
        guard !summary.stages.isEmpty || !summary.usage.isEmpty else {
            print("no metrics in \(paths.logs.path)\(all ? "" : " since the stack came up (--all for earlier ones)")")
            return
        }
        print(Self.render(summary))
    }

    /// The tables.
    static func render(_ summary: MetricsSummary) -> String {
        var stages = Table(headers: ["function", "handled", "ignored", "failed", "p50 ms", "p95 ms"])
        for stage in summary.stages {
            stages.add([
                stage.function, "\(stage.handled)", "\(stage.ignored)", "\(stage.failed)",
                milliseconds(MetricsSummary.percentile(0.5, of: stage.durations)),
                milliseconds(MetricsSummary.percentile(0.95, of: stage.durations)),
            ])
        }
        var text = "Stages:\n" + stages.render()
        let failures = summary.stages.flatMap { stage in
            stage.failures.sorted { $0.key < $1.key }.map { [stage.function, $0.key, "\($0.value)"] }
        }
        if !failures.isEmpty {
            var table = Table(headers: ["function", "error code", "events"])
            for failure in failures { table.add(failure) }
            text += "\n\nFailures by error code:\n" + table.render()
        }
        let claude = summary.usage.filter { $0.calls > 0 }
        if !claude.isEmpty {
            var table = Table(headers: [
                "function", "model", "images", "input tokens/image", "output tokens/image", "thinking tokens/image",
                "$ per 1,000 images", "$ total",
            ])
            for usage in claude {
                let calls = Double(usage.calls)
                table.add([
                    usage.function, usage.model, "\(usage.calls)", whole(usage.inputTokens / calls),
                    whole(usage.outputTokens / calls), whole(usage.thinkingTokens / calls),
                    usage.costUSD.map { String(format: "%.4f", $0 / calls * 1000) } ?? "unpriced",
                    usage.costUSD.map { String(format: "%.6f", $0) } ?? "unpriced",
                ])
            }
            text += "\n\nModels (list prices):\n" + table.render()
        }
        let batches = summary.usage.filter { $0.batches > 0 }
        if !batches.isEmpty {
            var table = Table(headers: ["function", "model", "invocations", "mean batch size", "embedding tokens"])
            for usage in batches {
                table.add([
                    usage.function, usage.model, "\(usage.batches)",
                    String(format: "%.1f", usage.batchedEvents / Double(usage.batches)), whole(usage.embeddingTokens),
                ])
            }
            text += "\n\nBatches:\n" + table.render()
        }
        return text
    }

    private static func milliseconds(_ value: Double?) -> String {
        value.map { $0 < 10 ? String(format: "%.1f", $0) : String(format: "%.0f", $0) } ?? "-"
    }

    private static func whole(_ value: Double) -> String { String(format: "%.0f", value) }
}
