import Foundation

/// What a search is limited to. Every filter applies to both halves of a hybrid search.
public struct SearchFilters: Sendable, Equatable {
    /// Only this user's items (exact match).
    public var userID: String?
    /// Only this analysis category, such as `nature`; compared after trimming and lowercasing
    /// (stored categories are lowercase, ``AnalysisCategory``).
    public var category: String?
    /// Only items first recorded at or after this instant (`items.created_at`: when the pipeline
    /// first saw the upload; a later upload of the same key keeps the first time).
    public var since: Date?
    /// Only items first recorded before this instant (exclusive).
    public var until: Date?

    /// Creates filters; nil means no limit.
    public init(userID: String? = nil, category: String? = nil, since: Date? = nil, until: Date? = nil) {
        self.userID = userID
        self.category = category
        self.since = since
        self.until = until
    }

    /// The category as compared: trimmed and lowercased, nil when absent or blank.
    var normalizedCategory: String? {
        guard let category else { return nil }
        let trimmed = category.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return trimmed.isEmpty ? nil : trimmed
    }
}

extension SearchFilters {
    /// Which end of a date range a text names.
    public enum Bound: Sendable {
        /// `--since`: the instant, or the start of the day (UTC).
        case since
        /// `--until`: the instant, or the end of the day (UTC): `2024-05-31` includes all of May 31.
        case until
    }

    /// Reads a date as `YYYY-MM-DD` (a day in UTC) or ISO 8601 with a time and a zone
    /// (`2024-05-31T18:30:00Z`, `2024-05-31T18:30:00.250+02:00`).
    /// - Throws: ``SearchQueryError`` naming the text and the accepted forms.
    public static func date(_ text: String, as bound: Bound) throws -> Date {
        let text = text.trimmingCharacters(in: .whitespaces)
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if text.count == 10, let start = day.date(from: text) {
            return bound == .since ? start : start.addingTimeInterval(86_400)
        }
        let instant = ISO8601DateFormatter()
        instant.formatOptions = [.withInternetDateTime]
        if let date = instant.date(from: text) { return date }
        instant.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = instant.date(from: text) { return date }
        throw SearchQueryError(
            "\"\(text)\" is not a date: use YYYY-MM-DD (a day in UTC) or ISO 8601 with a time and zone, "
                + "such as 2024-05-31T18:30:00Z")
    }
}
