import Foundation
import PipelineCore
import TestSupport
import Testing

/// The item upserts on a real PostgreSQL: a write about an older version (smaller S3 sequencer)
/// never replaces a newer one, and refusals are recorded where SQL users read them.
@Suite(.enabled(if: TestEnvironment.databaseEnabled, "needs PostgreSQL (scripts/test)"))
struct VersionOrderTests {
    private func record(_ etag: String, sequencer: String?) -> AnalysisRecord {
        let key = "u1/versions.jpg"
        let event = ImageProcessed(
            itemID: ItemID.of(bucket: "b", key: key), userID: "u1", bucket: "b", originalKey: key,
            thumbnailKey: "thumbnails/\(key).jpg", contentType: "image/jpeg", width: 40, height: 30, bytes: 1234,
            etag: etag, renditionKey: "renditions/\(key).jpg", sequencer: sequencer)
        let analysis = Analysis(category: .other, summary: "s \(etag)", description: "d", tags: ["t"])
        return AnalysisRecord(
            item: ItemRecord(event), model: "m", promptVersion: "p",
            output: AnalysisOutput(
                analysis: analysis, rawJSON: "{}", usage: TokenUsage(inputTokens: 1, outputTokens: 1)))
    }

    private func item(_ database: Database) async throws -> (etag: String?, status: String, code: String?) {
        let rows = try await database.client.query("SELECT etag, status, error_code FROM items")
        for try await row in rows.decode((String?, String, String?).self) { return row }
        throw TestSetupError("no item row")
    }

    @Test func anOlderVersionNeverReplacesANewerOne() async throws {
        try await ScratchDatabase.with("collections_test_versions") { database in
            let store = PostgresStore(database: database)
            // Sequencers of different lengths compare once left-padded: 0FFF < 10000.
            #expect(try await store.save(record("new", sequencer: "10000")) != nil)
            #expect(try await store.save(record("old", sequencer: "0FFF")) == nil)
            #expect(try await item(database).etag == "new")
            #expect(try await ScratchDatabase.count("analyses", in: database) == 1)
            // The same version again, or a write without ordering, goes through (a replay).
            #expect(try await store.save(record("new", sequencer: "10000")) != nil)

            let older = ItemFailure(
                record("old", sequencer: "0FFF").item.event, stage: "Analyzer", code: "x", message: "m")
            #expect(try await store.recordFailure(older) == false)
            #expect(try await item(database).status == "analyzed")
            let newest = ItemFailure(
                record("newest", sequencer: "10001").item.event, stage: "Analyzer", code: "imageRejected",
                message: "Claude apiError: invalid_request_error: could not process image (HTTP 400)")
            #expect(try await store.recordFailure(newest))
            #expect(try await item(database) == ("newest", "failed", "imageRejected"))
            let recorded = try await store.recordedFailure(itemID: newest.upload.itemID, etag: "newest")
            #expect(recorded?.upload.errorCode == "imageRejected" && recorded?.upload.stage == "Analyzer")
            #expect(try await store.recordedFailure(itemID: newest.upload.itemID, etag: "new") == nil)
        }
    }

    @Test func aRefusedUploadIsARowWithoutImageDetails() async throws {
        try await ScratchDatabase.with("collections_test_refusals") { database in
            let store = PostgresStore(database: database)
            let failed = ImageFailed(
                itemID: ItemID.of(bucket: "b", key: "u2/empty.jpg"), userID: "u2", bucket: "b",
                originalKey: "u2/empty.jpg", etag: "d41d8cd98f00b204e9800998ecf8427e", bytes: 0,
                stage: "ImageProcessor",
                errorCode: "empty", errorMessage: "the image is empty (0 bytes)")
            #expect(try await store.recordFailure(ItemFailure(failed)))
            #expect(try await store.recordFailure(ItemFailure(failed)), "a replay writes the same row")
            let rows = try await database.client.query(
                "SELECT status, error_stage, error_code, error, width, thumbnail_key FROM items")
            var seen = 0
            for try await row in rows.decode((String, String, String, String, Int?, String?).self) {
                seen += 1
                #expect(row.0 == "failed" && row.1 == "ImageProcessor" && row.2 == "empty")
                #expect(row.3 == "the image is empty (0 bytes)" && row.4 == nil && row.5 == nil)
            }
            #expect(seen == 1)
            // A failed row must say why; a successful one must have its image details.
            await #expect(throws: (any Error).self) {
                try await database.client.query("UPDATE items SET error_code = NULL")
            }
            await #expect(throws: (any Error).self) {
                try await database.client.query("UPDATE items SET status = 'analyzed'")
            }
        }
    }
}
