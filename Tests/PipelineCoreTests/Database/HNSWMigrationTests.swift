import Foundation
import PostgresNIO
import TestSupport
import Testing

@testable import PipelineCore

/// Migration 0007 applies to a table that already holds vectors: it sets the table's
/// parallel_workers for later index builds, leaves the 1,024-dimension HNSW index at pgvector's
/// defaults (the benchmark's choice), and the production search plans with that index.
@Suite(.serialized, .enabled(if: TestEnvironment.databaseEnabled, "needs COLLECTIONS_TEST_DATABASE_URL (scripts/test)"))
struct HNSWMigrationTests {
    static let model = "voyage-4"

    @Test func appliesToAPopulatedTableAndTheSearchUsesTheIndex() async throws {
        try await ScratchDatabase.with("collections_test_hnsw_migration", migrate: false) { database in
            let migrations = try Migrator.bundled()
            let migrator = Migrator(database: database)
            try await migrator.migrate(migrations.filter { $0.version < 7 })
            try await Self.insert(3_000, into: database)
            let applied = try await migrator.migrate(migrations)
            #expect(applied.map(\.version).first == 7)

            // m and ef_construction stay pgvector's defaults: no options on the index.
            let options = try await Self.strings(
                "SELECT coalesce(array_to_string(reloptions, ','), '') FROM pg_class WHERE relname = 'embeddings_hnsw_1024'",
                database)
            #expect(options == [""])
            let table = try await Self.strings(
                "SELECT unnest(reloptions) FROM pg_class WHERE relname = 'embeddings'", database)
            #expect(table.contains("parallel_workers=2"))
            let valid = try await Self.strings(
                """
                SELECT c.relname || ':' || x.indisvalid FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
                WHERE c.relname LIKE 'embeddings_hnsw_1024%'
                """, database)
            #expect(valid == ["embeddings_hnsw_1024:true"])

            // The production statement plans through the index, and finds a stored vector first.
            // Each item has its own ETag here: the planner must not take `a.etag = i.etag` for a
            // filter that leaves one row (it then sorts the whole table instead).
            let search = SearchRepository(database: database)
            let vector = try await Self.storedVector(17, database)
            let query = SearchQuery(vector: vector, model: Self.model, limit: 10)
            let plan = try await search.withSearchSettings(efSearch: SearchTuning.efSearch) { connection in
                let statement = SearchRepository.vectorStatement(query)
                let rows = try await connection.query(
                    PostgresQuery(unsafeSQL: "EXPLAIN (COSTS OFF) " + statement.sql, binds: statement.binds),
                    logger: database.logger)
                var lines: [String] = []
                for try await line in rows.decode(String.self) { lines.append(line) }
                return lines.joined(separator: "\n")
            }
            #expect(plan.contains("Index Scan using embeddings_hnsw_1024"), "\(plan.prefix(3000))")
            let hits = try await search.search(query)
            #expect(hits.first?.objectKey == "c/17.jpg")
            #expect(hits.count == 10)
        }
    }

    /// `count` items, each with its own ETag (as real uploads have), in 50 clusters of
    /// 1,024-dimension vectors made by the server; then ANALYZE, as autovacuum would.
    static func insert(_ count: Int, into database: Database) async throws {
        try await database.client.query(
            """
            INSERT INTO items (item_id, user_id, bucket, object_key, etag, content_type, width, height, bytes,
                thumbnail_key, status)
            SELECT md5('i' || g)::uuid, 'u' || (g % 10), 'b', 'c/' || g || '.jpg', md5('etag' || g), 'image/jpeg',
                10, 10, 10, 't/' || g, 'embedded'
            FROM generate_series(1, \(count)) g
            """)
        try await database.client.query(
            """
            INSERT INTO analyses (analysis_id, item_id, etag, model, prompt_version, category, summary, description,
                raw)
            SELECT md5('a' || g)::uuid, md5('i' || g)::uuid, md5('etag' || g), 'm', 'p', 'other', 'photo ' || g, 'd',
                '{}'
            FROM generate_series(1, \(count)) g
            """)
        try await database.client.query(
            """
            WITH centers AS (
                SELECT c, array_agg(random() - 0.5 ORDER BY d) AS v
                FROM generate_series(0, 49) c, generate_series(1, 1024) d GROUP BY c)
            INSERT INTO embeddings (embedding_id, item_id, analysis_id, model, dimensions, embedding, content_hash)
            SELECT md5('e' || g)::uuid, md5('i' || g)::uuid, md5('a' || g)::uuid, \(model), 1024,
                (SELECT array_agg(x + (random() - 0.5) * 0.3 ORDER BY n) FROM unnest(ce.v) WITH ORDINALITY t(x, n))
                    ::vector, 'h'
            FROM generate_series(1, \(count)) g JOIN centers ce ON ce.c = g % 50
            """)
        try await database.client.query("ANALYZE items, analyses, embeddings")
    }

    static func strings(_ sql: String, _ database: Database) async throws -> [String] {
        var values: [String] = []
        for try await value in try await database.client.query(PostgresQuery(unsafeSQL: sql)).decode(String.self) {
            values.append(value)
        }
        return values
    }

    static func storedVector(_ n: Int, _ database: Database) async throws -> [Float] {
        let rows = try await database.client.query(
            "SELECT embedding::real[] FROM embeddings WHERE item_id = md5('i' || \(n))::uuid")
        for try await vector in rows.decode([Float].self) { return vector }
        throw SearchQueryError("no item \(n)")
    }
}
