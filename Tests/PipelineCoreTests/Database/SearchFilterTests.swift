import Foundation
import PipelineCore
import TestSupport
import Testing

/// Filters on user, category and time, alone and together; failed and superseded items never
/// show; inputs that cannot run are refused with a clear message.
@Suite(.serialized, .enabled(if: TestEnvironment.databaseEnabled, "needs COLLECTIONS_TEST_DATABASE_URL (scripts/test)"))
struct SearchFilterTests {
    private static let day: TimeInterval = 86_400
    private static let start = Date(timeIntervalSince1970: 1_717_200_000)  // 2024-06-01T00:00:00Z

    /// Six items at angles 0...50 degrees from the query, so vector order is a, b, c, d, e, f.
    private static let fixtures: [SearchFixture] = [
        SearchFixture(
            key: "u1/a.jpg", user: "u1", category: "nature", vector: SearchFixture.angle(0), createdAt: start),
        SearchFixture(
            key: "u2/b.jpg", user: "u2", category: "nature", vector: SearchFixture.angle(10),
            createdAt: start + day),
        SearchFixture(
            key: "u1/c.jpg", user: "u1", category: "food", vector: SearchFixture.angle(20),
            createdAt: start + 2 * day),
        SearchFixture(
            key: "u2/d.jpg", user: "u2", category: "food", vector: SearchFixture.angle(30),
            createdAt: start + 3 * day),
        SearchFixture(
            key: "u1/e.jpg", user: "u1", category: "nature", vector: SearchFixture.angle(40),
            createdAt: start + 4 * day),
        SearchFixture(
            key: "u1/f.jpg", user: "u1", category: "nature", vector: SearchFixture.angle(50),
            createdAt: start + 5 * day, status: "failed"),
    ]

    private func keys(_ filters: SearchFilters, _ search: SearchRepository) async throws -> [String] {
        try await search.search(
            SearchQuery(vector: SearchFixture.angle(0), model: SearchFixture.model, filters: filters)
        ).map(\.objectKey)
    }

    @Test func eachFilterAloneAndTogether() async throws {
        try await ScratchDatabase.withTemporary("search_filters") { database, _ in
            for fixture in Self.fixtures { try await fixture.insert(into: database) }
            // A superseded version: its analysis and vector no longer match the item's ETag.
            let old = SearchFixture(key: "u1/old.jpg", vector: SearchFixture.angle(1))
            try await old.insert(into: database)
            try await database.client.query("UPDATE items SET etag = 'newer' WHERE item_id = \(old.itemID)")

            let search = SearchRepository(database: database)
            // No filter: every embedded current item, nearest first; failed f and superseded old never.
            #expect(try await keys(.init(), search) == ["u1/a.jpg", "u2/b.jpg", "u1/c.jpg", "u2/d.jpg", "u1/e.jpg"])
            #expect(try await keys(.init(userID: "u2"), search) == ["u2/b.jpg", "u2/d.jpg"])
            #expect(try await keys(.init(userID: "U2"), search).isEmpty)  // users are exact
            #expect(try await keys(.init(category: "food"), search) == ["u1/c.jpg", "u2/d.jpg"])
            #expect(try await keys(.init(category: " Food "), search) == ["u1/c.jpg", "u2/d.jpg"])
            #expect(try await keys(.init(category: "people"), search).isEmpty)
            // since is inclusive, until exclusive.
            #expect(
                try await keys(.init(since: Self.start + Self.day), search) == [
                    "u2/b.jpg", "u1/c.jpg", "u2/d.jpg", "u1/e.jpg",
                ])
            #expect(try await keys(.init(until: Self.start + 2 * Self.day), search) == ["u1/a.jpg", "u2/b.jpg"])
            #expect(
                try await keys(.init(since: Self.start + Self.day, until: Self.start + 3 * Self.day), search) == [
                    "u2/b.jpg", "u1/c.jpg",
                ])
            // Together.
            #expect(try await keys(.init(userID: "u1", category: "nature"), search) == ["u1/a.jpg", "u1/e.jpg"])
            #expect(
                try await keys(.init(userID: "u1", category: "nature", since: Self.start + Self.day), search) == [
                    "u1/e.jpg"
                ])
            #expect(
                try await keys(.init(userID: "u2", category: "food", until: Self.start + 3 * Self.day), search).isEmpty)
            // The same filters hold in hybrid and text mode (every summary says "photo").
            for mode in [SearchMode.hybrid, .text] {
                let found = try await search.search(
                    SearchQuery(
                        vector: SearchFixture.angle(0), model: SearchFixture.model, text: "photo",
                        filters: .init(userID: "u1", category: "nature"), mode: mode))
                #expect(Set(found.map(\.objectKey)) == ["u1/a.jpg", "u1/e.jpg"], "\(mode)")
            }
        }
    }

    @Test func queriesThatCannotRunAreRefused() async throws {
        let vector = SearchFixture.angle(0)
        func message(_ query: SearchQuery) -> String? {
            do {
                try query.validate()
                return nil
            } catch {
                return "\(error)"
            }
        }
        let dates = SearchFilters(since: Self.start + Self.day, until: Self.start)
        #expect(message(SearchQuery(vector: vector, model: "m", filters: dates))?.contains("is not before") == true)
        let same = SearchFilters(since: Self.start, until: Self.start)
        #expect(
            message(SearchQuery(vector: vector, model: "m", filters: same))?.contains("date range is empty") == true)
        #expect(
            message(SearchQuery(vector: vector, model: "m", mode: .hybrid))?.contains("needs the query text") == true)
        #expect(message(SearchQuery(vector: vector, model: "m", text: "  ", mode: .text)) != nil)
        #expect(message(SearchQuery(vector: vector, model: "m", limit: 0))?.contains("limit must be") == true)
        #expect(message(SearchQuery(vector: vector, model: "m", efSearch: 0))?.contains("ef_search") == true)
        #expect(message(SearchQuery(vector: vector, model: "m", efSearch: 1001))?.contains("ef_search") == true)
        #expect(message(SearchQuery(vector: [], model: "m")) != nil)
        #expect(message(SearchQuery(vector: [.nan] + vector, model: "m")) != nil)
        #expect(message(SearchQuery(vector: vector, model: "m", text: "x", mode: .hybrid, efSearch: 1000)) == nil)
    }

    @Test func datesReadAsDaysOrInstants() throws {
        #expect(try SearchFilters.date("2024-06-01", as: .since) == Self.start)
        // A day as the end of a range includes all of that day.
        #expect(try SearchFilters.date("2024-06-01", as: .until) == Self.start + Self.day)
        #expect(try SearchFilters.date("2024-06-01T00:00:00Z", as: .until) == Self.start)
        #expect(try SearchFilters.date("2024-06-01T02:30:00+02:00", as: .since) == Self.start + 1_800)
        #expect(try SearchFilters.date("2024-06-01T00:00:00.500Z", as: .since) == Self.start + 0.5)
        for bad in ["06/01/2024", "2024-6-1", "2024-06-01T00:00:00", "yesterday", "", "2024-13-01"] {
            #expect(throws: SearchQueryError.self, "\(bad)") { try SearchFilters.date(bad, as: .since) }
        }
        let error = #expect(throws: SearchQueryError.self) { try SearchFilters.date("soon", as: .since) }
        #expect(error?.message.contains("use YYYY-MM-DD") == true)
    }
}
