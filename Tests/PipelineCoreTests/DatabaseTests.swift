import Foundation
import PipelineCore
import TestSupport
import Testing

@Suite(.serialized, .enabled(if: TestEnvironment.databaseEnabled, "needs COLLECTIONS_TEST_DATABASE_URL (scripts/test)"))
struct DatabaseTests {
    private func event(_ key: String, etag: String = "etag-1") -> ImageProcessed {
        ImageProcessed(
            itemID: ItemID.of(bucket: "b", key: key), userID: "u1", bucket: "b", originalKey: key,
            thumbnailKey: "thumbnails/\(key).jpg", contentType: "image/jpeg", width: 40, height: 30, bytes: 1234,
            etag: etag, renditionKey: "renditions/\(key).jpg")
    }

    private func record(
        _ key: String, etag: String = "etag-1", tags: [String] = ["red"], summary: String = "A red image."
    ) -> AnalysisRecord {
        let analysis = Analysis(category: .other, summary: summary, description: "d", tags: tags, colors: tags)
        return AnalysisRecord(
            item: ItemRecord(event(key, etag: etag)), model: "m", promptVersion: "p",
            output: AnalysisOutput(
                analysis: analysis, rawJSON: #"{"k": "v"}"#, usage: TokenUsage(inputTokens: 5, outputTokens: 7)))
    }

    @Test func migrationsApplyOnceAndAreRecorded() async throws {
        try await ScratchDatabase.with("collections_test_migrations", migrate: false) { database in
            let migrator = Migrator(database: database)
            let first = try await migrator.migrate()
            #expect(first.map(\.version) == Array(1...9))
            let second = try await migrator.migrate()
            #expect(second.isEmpty)
            #expect(try await ScratchDatabase.count("schema_migrations", in: database) == 9)
        }
    }

    @Test func aChangedMigrationIsRefused() async throws {
        try await ScratchDatabase.with("collections_test_changed") { database in
            var migrations = try Migrator.bundled()
            migrations[0].sql += "\n-- edited"
            let error = await #expect(throws: DatabaseError.self) {
                try await Migrator(database: database).migrate(migrations)
            }
            #expect(error?.message.contains("was changed after it was applied") == true)
        }
    }

    @Test func aFailingMigrationNamesItselfAndLeavesNothing() async throws {
        try await ScratchDatabase.with("collections_test_failing") { database in
            let broken = Migrator.Migration(
                version: 99, name: "broken", sql: "CREATE TABLE half (a int); SELECT * FROM missing_table;")
            let error = await #expect(throws: DatabaseError.self) {
                try await Migrator(database: database).migrate(try Migrator.bundled() + [broken])
            }
            #expect(error?.message.contains("migration 99_broken failed") == true)
            #expect(error?.message.contains("missing_table") == true)
            await #expect(throws: (any Error).self) { try await ScratchDatabase.count("half", in: database) }
        }
    }

    @Test func upsertsAreIdempotent() async throws {
        try await ScratchDatabase.with("collections_test_upserts") { database in
            let store = PostgresStore(database: database)
            let first = try #require(try await store.save(record("u1/a.jpg")))
            let second = try #require(try await store.save(record("u1/a.jpg")))
            #expect(first == second)
            #expect(
                try await store.existingAnalysis(
                    itemID: ItemID.of(bucket: "b", key: "u1/a.jpg"), etag: "etag-1", model: "m", promptVersion: "p")
                    == first)
            let vector = try await HashingEmbedder(dimensions: 1024).embed(["red"], as: .document).vectors[0]
            let embedding = EmbeddingRecord(
                analysisID: first, itemID: ItemID.of(bucket: "b", key: "u1/a.jpg"), model: "h", vector: vector,
                contentHash: "x", totalTokens: 1)
            try await store.save([embedding])
            try await store.save([embedding])
            #expect(try await store.embeddingHashes(analysisIDs: [first], model: "h", dimensions: 1024) == [first: "x"])
            for table in ["items", "analyses", "embeddings"] {
                #expect(try await ScratchDatabase.count(table, in: database) == 1, "\(table)")
            }
            // A new version of the object gets its own analysis; the item row stays one.
            _ = try await store.save(record("u1/a.jpg", etag: "etag-2"))
            #expect(try await ScratchDatabase.count("items", in: database) == 1)
            #expect(try await ScratchDatabase.count("analyses", in: database) == 2)
            #expect(try await ScratchDatabase.count("latest_analyses", in: database) == 1)
        }
    }

    @Test func usageIsSummedPerStageAndModel() async throws {
        try await ScratchDatabase.with("collections_test_usage") { database in
            let store = PostgresStore(database: database)
            let first = try #require(try await store.save(record("u1/a.jpg")))
            _ = try await store.save(record("u1/a.jpg"))  // a replay: no second row, no second charge
            _ = try await store.save(record("u1/b.jpg"))
            let vector = try await HashingEmbedder(dimensions: 1024).embed(["red"], as: .document).vectors[0]
            try await store.save([
                EmbeddingRecord(
                    analysisID: first, itemID: ItemID.of(bucket: "b", key: "u1/a.jpg"), model: "voyage-4",
                    vector: vector, contentHash: "x", totalTokens: 9)
            ])
            let (usage, images) = try await UsageRepository(database: database).usage()
            #expect(images == 2)
            #expect(
                usage == [
                    ModelUsage(stage: "analysis", model: "m", calls: 2, inputTokens: 10, outputTokens: 14),
                    ModelUsage(stage: "embedding", model: "voyage-4", calls: 1, inputTokens: 9, outputTokens: 0),
                ])
        }
    }

    @Test func storesQuotesAndSQLVerbatim() async throws {
        try await ScratchDatabase.with("collections_test_injection") { database in
            let store = PostgresStore(database: database)
            let hostile = ["it's", "\"quoted\"", "'); DROP TABLE items; --", "$$", "\\"]
            let id = try #require(
                try await store.save(
                    record("u1/O'Brien; DROP TABLE items.jpg", tags: hostile, summary: "x'); DELETE FROM analyses; --"))
            )
            let loaded = try await store.analyses([id])
            #expect(loaded.first?.analysis.tags == hostile)
            #expect(loaded.first?.analysis.summary == "x'); DELETE FROM analyses; --")
            #expect(try await ScratchDatabase.count("items", in: database) == 1)
        }
    }

    @Test func searchOrdersByCosineDistance() async throws {
        try await ScratchDatabase.with("collections_test_search") { database in
            let store = PostgresStore(database: database)
            let embedder = HashingEmbedder(dimensions: 1024)
            let texts = [
                "u1/red.jpg": "A vivid image dominated by red. Tags: red, vivid.",
                "u1/blue.jpg": "A bright image dominated by blue and white. Tags: blue, white, bright.",
                "u1/green.jpg": "An image dominated by green. Tags: green, nature.",
                "u2/red.jpg": "An image dominated by red and black. Tags: red, black, dark.",
            ]
            for (key, text) in texts {
                var item = record(key, summary: text)
                item.item.event.userID = String(key.prefix(2))
                let id = try #require(try await store.save(item))
                let vector = try await embedder.embed([text], as: .document).vectors[0]
                try await store.save([
                    EmbeddingRecord(
                        analysisID: id, itemID: ItemID.of(bucket: "b", key: key), model: embedder.modelID,
                        vector: vector, contentHash: "h", totalTokens: 1)
                ])
            }
            let query = try await embedder.embed(["red"], as: .query).vectors[0]
            let search = SearchRepository(database: database)
            let results = try await search.nearest(to: query, model: embedder.modelID, limit: 4)
            #expect(results.count == 4)
            #expect(Set(results.prefix(2).map(\.objectKey)) == ["u1/red.jpg", "u2/red.jpg"])
            #expect(results.map(\.distance) == results.map(\.distance).sorted())
            #expect(results[0].distance < results[2].distance)
            let mine = try await search.nearest(to: query, model: embedder.modelID, userID: "u1", limit: 4)
            #expect(mine.map(\.userID) == ["u1", "u1", "u1"])
            #expect(mine.first?.objectKey == "u1/red.jpg")
            #expect(try await search.nearest(to: query, model: "other-model").isEmpty)
        }
    }

    @Test func searchUsesTheHNSWIndex() async throws {
        try await ScratchDatabase.with("collections_test_plan") { database in
            let plan = try await ScratchDatabase.explain(
                """
                SET enable_seqscan = off;
                EXPLAIN SELECT e.item_id FROM embeddings e WHERE e.model = 'h' AND e.dimensions = 1024
                ORDER BY (e.embedding::vector(1024)) <=> (array_fill(0.1, ARRAY[1024])::real[]::vector(1024)) LIMIT 5
                """, in: database)
            #expect(plan.contains("embeddings_hnsw_1024"), "\(plan)")
        }
    }
}
