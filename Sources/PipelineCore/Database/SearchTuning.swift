/// The numbers behind a search, in one place.
///
/// `efSearch` is pgvector's `hnsw.ef_search`: how many candidates the HNSW scan keeps while it
/// walks the graph. Higher finds more of the true nearest neighbours and costs more time; the
/// search benchmark (`bench/search.py`) measures recall and latency across values and the number
/// here is its choice. A ``SearchQuery`` may override it per query.
public enum SearchTuning {
    /// The default `hnsw.ef_search` of a search (pgvector's own default is 40). On 100,000
    /// clustered 1,024-dimension vectors (`bench/search.py`, docs/SEARCH.md) 40 gave recall@10
    /// 0.99 with a p95 of 5 ms, 20 already 0.96; above 64 recall barely moves and latency grows.
    public static let efSearch = 40

    /// The values `hnsw.ef_search` accepts (pgvector's bounds).
    public static let efSearchRange = 1...1000

    /// The most results one search returns.
    public static let maxLimit = 1000

    /// The reciprocal rank fusion constant k: a hit ranked r by one half scores 1 / (k + r).
    /// 60 is the value of Cormack, Clarke and Büttcher (SIGIR 2009), who found it robust; a
    /// large k flattens the difference between ranks 1 and 10, so neither half dominates.
    public static let rrfConstant = 60.0

    /// How many candidates each half of a hybrid search contributes before fusion: four times
    /// the page, at least 40 (the default `ef_search`), so that an item ranked low by one half and
    /// high by the other is still in both lists.
    public static func candidates(limit: Int) -> Int {
        max(limit * 4, 40)
    }
}
