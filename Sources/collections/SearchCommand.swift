import ArgumentParser
import Foundation
import PipelineCore
import Tables

/// `collections search "query"`: items by meaning, by words, or both.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find items by meaning (cosine distance), by words (full text), or both fused (the default).",
        discussion: """
            hybrid fuses the vector ranking and the full-text ranking of the query by reciprocal rank \
            (1 / (60 + rank) summed over both): an exact word, a name or text in the photo lifts an item the \
            embedding ranks low, and a query whose words match nothing keeps the vector order. Every result \
            shows its cosine distance to the query; hybrid and text also show the fused score and each ranking's \
            place. Dates are YYYY-MM-DD (a day in UTC; --until includes that day) or ISO 8601 with a time and \
            zone, and compare with the time the pipeline first recorded the upload.
            """)

    @Argument(help: "What to look for, such as \"blue sky\" or \"receipt -coffee\".")
    var query: String

    @Option(help: "vector (embedding only), hybrid (embedding and words) or text (words only).")
    var mode: SearchMode = .hybrid

    @Option(help: "Only this user's items.")
    var user: String?

    @Option(help: "Only this category: \(AnalysisCategory.allCases.map(\.rawValue).joined(separator: ", ")).")
    var category: String?

    @Option(help: "Only items uploaded at or after this date.")
    var since: String?

    @Option(help: "Only items uploaded before this instant, or up to the end of this day.")
    var until: String?

    @Option(help: "How many results.")
    var limit = 5

    @Option(help: "HNSW candidates per query (hnsw.ef_search, 1-1000). Default: \(SearchTuning.efSearch).")
    var efSearch: Int?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        if let category, AnalysisCategory(rawValue: category.lowercased()) == nil {
            throw ValidationError(
                "unknown category \"\(category)\": use one of "
                    + AnalysisCategory.allCases.map(\.rawValue).joined(separator: ", "))
        }
        // Dates, their order, the limit, ef_search and the text, before any model or database.
        do {
            try searchQuery(vector: [0]).validate()
        } catch let error as SearchQueryError {
            throw ValidationError(error.message)
        }
    }

    /// The query for `vector`, with this command's filters (the model is set once known).
    private func searchQuery(vector: [Float]) throws -> SearchQuery {
        do {
            let filters = SearchFilters(
                userID: user, category: category, since: try since.map { try SearchFilters.date($0, as: .since) },
                until: try until.map { try SearchFilters.date($0, as: .until) })
            return SearchQuery(
                vector: vector, model: "", text: query, filters: filters, mode: mode, limit: limit, efSearch: efSearch)
        } catch let error as SearchQueryError {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        try await CommandContext(options: database).run { context in
            let model = try await modelOptions.embeddingModel(context)
            guard let vector = try await model.embed([query], as: .query).vectors.first else { return }
            var search = try searchQuery(vector: vector)
            search.model = model.modelID
            let results = try await SearchRepository(database: context.database).search(search)
            print("Search \"\(query)\" (\(model.modelID), \(mode.rawValue)):")
            print(results.isEmpty ? "no results" : table(results).render())
        }
    }

    private func table(_ results: [SearchResult]) -> Table {
        let fused = mode != .vector
        var table = Table(
            headers: ["#", "distance"] + (fused ? ["score", "vector", "text"] : []) + ["item", "summary", "thumbnail"])
        for (rank, result) in results.enumerated() {
            let ranks =
                fused
                ? [
                    String(format: "%.4f", result.score), result.vectorRank.map(String.init) ?? "-",
                    result.textRank.map(String.init) ?? "-",
                ] : []
            table.add(
                ["\(rank + 1)", String(format: "%.3f", result.distance)] + ranks + [
                    result.objectKey, result.summary, result.thumbnailKey,
                ])
        }
        table.maxWidth = 64
        return table
    }
}

extension SearchMode: ExpressibleByArgument {}
