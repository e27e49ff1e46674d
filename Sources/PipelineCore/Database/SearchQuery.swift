import Foundation

/// How a search ranks.
public enum SearchMode: String, Sendable, CaseIterable {
    /// Cosine distance to the query's embedding, through the HNSW index.
    case vector
    /// Reciprocal rank fusion of the vector ranking and the full-text ranking of the query text.
    case hybrid
    /// The full-text ranking alone (`ts_rank_cd`); distances are still computed and shown.
    case text
}

/// One search: the query's embedding, its text, filters, mode and page size.
public struct SearchQuery: Sendable {
    /// The query's embedding, from `model` (`input_type` query).
    public var vector: [Float]
    /// The query as typed; required by `hybrid` and `text`, parsed with `websearch_to_tsquery`.
    public var text: String?
    /// The embedding model whose rows to search.
    public var model: String
    /// What to limit the search to.
    public var filters: SearchFilters
    /// How to rank.
    public var mode: SearchMode
    /// How many results, 1 to ``SearchTuning/maxLimit``.
    public var limit: Int
    /// `hnsw.ef_search` for this query, 1 to 1000; nil means ``SearchTuning/efSearch``.
    public var efSearch: Int?

    /// Creates a query.
    public init(
        vector: [Float], model: String, text: String? = nil, filters: SearchFilters = .init(),
        mode: SearchMode = .vector, limit: Int = 10, efSearch: Int? = nil
    ) {
        self.vector = vector
        self.model = model
        self.text = text
        self.filters = filters
        self.mode = mode
        self.limit = limit
        self.efSearch = efSearch
    }

    /// The `ef_search` in effect.
    public var resolvedEfSearch: Int { efSearch ?? SearchTuning.efSearch }

    /// Checks the query before it reaches the database.
    /// - Throws: ``SearchQueryError`` saying what is wrong.
    public func validate() throws {
        guard !vector.isEmpty else { throw SearchQueryError("the query vector is empty") }
        guard vector.allSatisfy(\.isFinite) else { throw SearchQueryError("the query vector has a NaN or infinity") }
        guard (1...SearchTuning.maxLimit).contains(limit) else {
            throw SearchQueryError("limit must be 1 to \(SearchTuning.maxLimit), not \(limit)")
        }
        guard SearchTuning.efSearchRange.contains(resolvedEfSearch) else {
            throw SearchQueryError("ef_search must be 1 to 1000, not \(resolvedEfSearch)")
        }
        if let since = filters.since, let until = filters.until, since >= until {
            throw SearchQueryError(
                "the date range is empty: since (\(since.formatted(.iso8601))) is not before until "
                    + "(\(until.formatted(.iso8601)))")
        }
        if mode != .vector, (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw SearchQueryError("\(mode.rawValue) search needs the query text")
        }
    }
}

/// A search that cannot run as asked.
public struct SearchQueryError: Error, CustomStringConvertible, Equatable {
    /// What is wrong.
    public let message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
