import Foundation
import PostgresNIO
import TestSupport
import Testing

@testable import PipelineCore

/// The search's statements use the partial HNSW index at the planner's own settings, each search
/// gets its `ef_search`, and a selective filter still fills the page (iterative index scans).
@Suite(.serialized, .enabled(if: TestEnvironment.databaseEnabled, "needs COLLECTIONS_TEST_DATABASE_URL (scripts/test)"))
struct SearchIndexTests {
    /// Runs `statement` with the search's settings plus `extra` (name, value) settings: the object
    /// keys it returns, or with `explain`, the lines of its plan.
    private func run(
        _ statement: PostgresQuery, _ search: SearchRepository, efSearch: Int = SearchTuning.efSearch,
        extra: [(String, String)] = [], explain: Bool = false
    ) async throws -> [String] {
        try await search.withSearchSettings(efSearch: efSearch) { connection in
            let logger = search.database.logger
            for (name, value) in extra {
                try await connection.query("SELECT set_config(\(name), \(value), true)", logger: logger)
            }
            var lines: [String] = []
            if explain {
                let sql = "EXPLAIN (COSTS OFF) " + statement.sql
                let rows = try await connection.query(
                    PostgresQuery(unsafeSQL: sql, binds: statement.binds), logger: logger)
                for try await line in rows.decode(String.self) { lines.append(line) }
            } else {
                for try await row in try await connection.query(statement, logger: logger) {
                    lines.append(try row.makeRandomAccess()["object_key"].decode(String.self))
                }
            }
            return lines
        }
    }

    private func plan(
        _ statement: PostgresQuery, _ search: SearchRepository, extra: [(String, String)] = []
    ) async throws -> String {
        try await run(statement, search, extra: extra, explain: true).joined(separator: "\n")
    }

    private func keys(
        _ statement: PostgresQuery, _ search: SearchRepository, efSearch: Int = SearchTuning.efSearch,
        extra: [(String, String)] = []
    ) async throws -> [String] {
        try await run(statement, search, efSearch: efSearch, extra: extra)
    }

    @Test func clusteredRowsAreSearchedThroughTheIndexWithSettingsPerQuery() async throws {
        try await ScratchDatabase.withTemporary("search_index") { database, _ in
            try await SearchFixture.insertClustered(3_000, into: database)
            let search = SearchRepository(database: database)
            let vector = try await SearchFixture.clusteredVector(7, in: database)
            let query = SearchQuery(vector: vector, model: SearchFixture.model, text: "photo", limit: 10)

            // At the planner's defaults (no enable_* switched off), both statements scan the index.
            let vectorPlan = try await plan(SearchRepository.vectorStatement(query), search)
            #expect(vectorPlan.contains("Index Scan using embeddings_hnsw_256"), "\(vectorPlan.prefix(3000))")
            var hybrid = query
            hybrid.mode = .hybrid
            hybrid.text = "photo 7"  // one item: the text half finds it through the GIN index
            let hybridPlan = try await plan(SearchRepository.fusedStatement(hybrid), search)
            #expect(hybridPlan.contains("Index Scan using embeddings_hnsw_256"), "\(hybridPlan.prefix(3000))")
            #expect(hybridPlan.contains("analyses_search_document_idx"), "\(hybridPlan.prefix(3000))")

            // ef_search is the query's, within its transaction only.
            for ef in [1, 7, SearchTuning.efSearch, 1000] {
                let setting = try await search.withSearchSettings(efSearch: ef) { connection in
                    let rows = try await connection.query(
                        "SELECT current_setting('hnsw.ef_search'), current_setting('hnsw.iterative_scan')",
                        logger: database.logger)
                    for try await row in rows.decode((String, String).self) { return row }
                    return ("", "")
                }
                #expect(setting == ("\(ef)", "relaxed_order"))
            }
            // And it governs the scan: without iterative scans, an HNSW scan returns at most
            // ef_search rows; the statement returns 3 at ef_search 3 and the full page at 400.
            let statement = SearchRepository.vectorStatement(query)
            let off = [("hnsw.iterative_scan", "off")]
            #expect(try await keys(statement, search, efSearch: 3, extra: off).count == 3)
            #expect(try await keys(statement, search, efSearch: 400, extra: off).count == 10)
            // search() honours the query's ef_search: a value pgvector refuses never reaches it.
            await #expect(throws: SearchQueryError.self) {
                try await search.search(SearchQuery(vector: vector, model: SearchFixture.model, efSearch: 1001))
            }
        }
    }

    @Test func aSelectiveFilterStillFillsThePage() async throws {
        try await ScratchDatabase.withTemporary("search_iterative") { database, _ in
            // 2,000 items; category nature is 1% of them (20), spread over the clusters.
            try await SearchFixture.insertClustered(2_000, into: database)
            let search = SearchRepository(database: database)
            let vector = try await SearchFixture.clusteredVector(7, in: database)
            let query = SearchQuery(
                vector: vector, model: SearchFixture.model, filters: .init(category: "nature"), limit: 10)

            // The exact answer: the 10 nearest nature items by a full scan.
            let exact = try await database.client.query(
                """
                SELECT i.object_key FROM embeddings e JOIN items i USING (item_id) JOIN analyses a USING (analysis_id)
                WHERE a.category = 'nature' ORDER BY e.embedding <=> \(vector)::real[]::vector LIMIT 10
                """)
            var expected: [String] = []
            for try await key in exact.decode(String.self) { expected.append(key) }
            #expect(expected.count == 10)

            // Whatever plan the planner picks, search() returns that page.
            let found = try await search.search(query).map(\.objectKey)
            #expect(found == expected)

            // Forced through the HNSW index (no sort allowed), the iterative scan is what fills it:
            // the same statement with iterative scans off finds at most the 1% of ef_search's 40.
            let statement = SearchRepository.vectorStatement(query)
            let indexOnly = [("enable_sort", "off"), ("enable_seqscan", "off"), ("enable_bitmapscan", "off")]
            let forced = try await plan(statement, search, extra: indexOnly)
            #expect(forced.contains("Index Scan using embeddings_hnsw_256"), "\(forced.prefix(3000))")
            let iterative = try await keys(statement, search, extra: indexOnly)
            #expect(iterative.count == 10)
            #expect(Set(iterative).intersection(expected).count >= 9, "\(iterative) vs \(expected)")
            let withoutIterative = try await keys(
                statement, search, extra: indexOnly + [("hnsw.iterative_scan", "off")])
            #expect(withoutIterative.count < 10, "\(withoutIterative)")
        }
    }
}
