import ArgumentParser
import Foundation
import PipelineCore
import Tables

/// `collections cost`: what the stored usage costs at list prices.
struct CostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost",
        abstract: "Print the cost per image and per 1,000 images from the token usage stored with each row.",
        discussion: """
            Usage comes from the analyses (input, output and thinking tokens, images included, and \
            prompt-cache writes and reads) and embeddings (total tokens) tables; Claude prices from the \
            model catalogue (ClaudeCatalogue, with the long-prompt tier where a model has one), the \
            others from PriceList, as of its date. Runs against the stand-ins store the stand-ins' usage, \
            which follows each model's documented token rules.
            """)

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await CommandContext(options: database).run { context in
            let (usage, images) = try await UsageRepository(database: context.database).usage()
            print(CostText.render(CostReport(usage: usage, images: images)))
        }
    }
}

/// The text `collections cost` prints.
enum CostText {
    static func render(_ report: CostReport) -> String {
        guard !report.lines.isEmpty else { return "No usage stored yet." }
        var table = Table(headers: [
            "stage", "provider", "model", "calls", "input tokens", "output tokens", "of which thinking", "$ / M in",
            "$ / M out", "cost", "per call",
        ])
        for line in report.lines {
            let usage = line.usage
            table.add([
                usage.stage, PriceList.provider(of: usage.model),
                usage.model + (usage.longPrompt ? " (prompts over 100k)" : ""), "\(usage.calls)",
                grouped(usage.inputTokens + usage.cacheWriteTokens + usage.cacheReadTokens),
                usage.stage == "embedding" ? "–" : grouped(usage.outputTokens),
                usage.stage == "embedding" ? "–" : grouped(usage.thinkingTokens),
                line.price.map { money($0.inputPerMillion) } ?? "unlisted",
                line.price.map { usage.stage == "embedding" ? "–" : money($0.outputPerMillion) } ?? "unlisted",
                line.cost.map(money) ?? "?", line.costPerCall.map(money) ?? "?",
            ])
        }
        var text = "Cost at list prices (USD, as of \(PriceList.asOf)):\n" + table.render() + "\n"
        text += "Images analysed: \(report.images)  total: \(money(report.total))"
        if let perImage = report.perImage {
            text += "  per image: \(money(perImage))  per 1,000 images: \(money(perImage * 1000))"
        }
        if !report.unpriced.isEmpty {
            text += "\nNot in the price list, so left out: \(report.unpriced.joined(separator: ", "))"
        }
        return text
    }

    /// Dollars with enough digits to show small amounts.
    static func money(_ value: Double) -> String {
        if value == 0 { return "$0" }
        if value >= 1 { return String(format: "$%.2f", value) }
        let digits = max(2, min(8, Int((-log10(value)).rounded(.up)) + 2))
        return String(format: "$%.\(digits)f", value)
    }

    static func grouped(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        return formatter.string(from: NSNumber(value: value)) ?? "\(value)"
    }
}
