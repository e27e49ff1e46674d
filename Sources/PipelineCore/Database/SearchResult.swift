import Foundation

/// One search hit.
public struct SearchResult: Sendable, Equatable {
    /// The item.
    public var itemID: UUID
    /// Its owner.
    public var userID: String
    /// The original's key.
    public var objectKey: String
    /// The thumbnail's key.
    public var thumbnailKey: String
    /// The analysis category.
    public var category: String
    /// The analysis summary.
    public var summary: String
    /// The analysis tags.
    public var tags: [String]
    /// Cosine distance to the query, 0 (same direction) to 2 (opposite). Computed for every hit,
    /// including those only the full-text half found.
    public var distance: Double
    /// Its place (from 1) among the vector half's candidates; nil when that half did not list it.
    public var vectorRank: Int?
    /// Its place (from 1) among the full-text half's candidates; nil when that half did not list it
    /// (and always in `vector` mode).
    public var textRank: Int?
    /// The reciprocal rank fusion score, the sum of 1 / (k + rank) over the halves that listed
    /// it (``SearchTuning/rrfConstant`` is k). In `vector` mode, the same formula over the vector
    /// rank alone, so scores fall as distances grow.
    public var score: Double

    /// Creates a hit.
    public init(
        itemID: UUID, userID: String, objectKey: String, thumbnailKey: String, category: String, summary: String,
        tags: [String], distance: Double, vectorRank: Int? = nil, textRank: Int? = nil, score: Double = 0
    ) {
        self.itemID = itemID
        self.userID = userID
        self.objectKey = objectKey
        self.thumbnailKey = thumbnailKey
        self.category = category
        self.summary = summary
        self.tags = tags
        self.distance = distance
        self.vectorRank = vectorRank
        self.textRank = textRank
        self.score = score
    }
}
