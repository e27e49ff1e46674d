import Foundation
import PostgresNIO

extension PostgresStore {
    public func recordFailure(_ failure: ItemFailure) async throws -> Bool {
        let upload = failure.upload
        let processed = failure.processed
        return try await database.attempt("recording the failure of item \(upload.itemID)") {
            let rows = try await database.client.query(
                """
                INSERT INTO items (item_id, user_id, bucket, object_key, etag, version_id, sequencer, content_type,
                    format, width, height, bytes, thumbnail_key, rendition_key, status, error, error_stage, error_code)
                VALUES (\(upload.itemID), \(upload.userID), \(upload.bucket), \(upload.originalKey), \(upload.etag),
                    \(upload.versionID), \(upload.sequencer), \(processed?.contentType), \(processed?.format),
                    \(processed?.width), \(processed?.height), \(upload.bytes), \(processed?.thumbnailKey),
                    \(processed?.renditionKey), 'failed', \(upload.errorMessage), \(upload.stage), \(upload.errorCode))
                ON CONFLICT (item_id) DO UPDATE SET
                    etag = EXCLUDED.etag, version_id = EXCLUDED.version_id, sequencer = EXCLUDED.sequencer,
                    content_type = EXCLUDED.content_type, format = EXCLUDED.format, width = EXCLUDED.width,
                    height = EXCLUDED.height, bytes = EXCLUDED.bytes, thumbnail_key = EXCLUDED.thumbnail_key,
                    rendition_key = EXCLUDED.rendition_key, status = 'failed', error = EXCLUDED.error,
                    error_stage = EXCLUDED.error_stage, error_code = EXCLUDED.error_code, updated_at = now()
                WHERE \(unescaped: Self.notNewer)
                RETURNING item_id
                """, logger: database.logger)
            return try await rows.collect().count == 1
        }
    }

    public func recordedFailure(itemID: UUID, etag: String) async throws -> ItemFailure? {
        try await database.attempt("looking up the failure of item \(itemID)") {
            let rows = try await database.client.query(
                """
                SELECT user_id, bucket, object_key, bytes, version_id, sequencer, error_stage, error_code, error
                FROM items WHERE item_id = \(itemID) AND etag = \(etag) AND status = 'failed'
                """, logger: database.logger)
            for try await row in rows.decode(
                (String, String, String, Int?, String?, String?, String, String, String).self)
            {
                return ItemFailure(
                    ImageFailed(
                        itemID: itemID, userID: row.0, bucket: row.1, originalKey: row.2, etag: etag, bytes: row.3,
                        versionID: row.4, sequencer: row.5, stage: row.6, errorCode: row.7, errorMessage: row.8))
            }
            return nil
        }
    }

    public func markFailed(analysisID: UUID, code: String, message: String) async throws {
        try await database.attempt("marking the item of analysis \(analysisID) failed") {
            try await database.client.query(
                """
                UPDATE items i SET status = 'failed', error = \(message), error_stage = 'Embedder',
                    error_code = \(code), updated_at = now()
                FROM analyses a
                WHERE a.analysis_id = \(analysisID) AND i.item_id = a.item_id AND i.etag = a.etag
                """, logger: database.logger)
        }
    }
}
