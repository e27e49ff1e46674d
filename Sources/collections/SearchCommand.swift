import ArgumentParser
import Foundation
import PipelineCore

/// `collections search "query"`: nearest items by meaning.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Find items whose analysis is closest to a query (cosine distance).")

    @Argument(help: "What to look for, such as \"blue sky\".")
    var query: String

    @Option(help: "Only this user's items.")
    var user: String?

    @Option(help: "How many results.")
    var limit = 5

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var modelOptions: ModelOptions

    func run() async throws {
        try await CommandContext(options: database).run { context in
            let model = try await modelOptions.embeddingModel(context)
            guard let vector = try await model.embed([query], as: .query).vectors.first else { return }
            let results = try await SearchRepository(database: context.database).nearest(
                to: vector, model: model.modelID, userID: user, limit: limit)
            print("Search \"\(query)\" (\(model.modelID)):")
            var table = TextTable(headers: ["#", "distance", "item", "summary", "thumbnail"])
            for (rank, result) in results.enumerated() {
                table.add([
                    "\(rank + 1)", String(format: "%.3f", result.distance), result.objectKey, result.summary,
                    result.thumbnailKey,
                ])
            }
            table.maxWidth = 64
            print(results.isEmpty ? "no results" : table.render())
        }
    }
}
