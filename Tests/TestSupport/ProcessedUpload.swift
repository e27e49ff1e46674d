import Foundation
import PipelineCore

/// An upload as ImageProcessor leaves it: the original and its rendition (here the same bytes) in
/// a new bucket, and the ImageProcessed event that announces them, for tests of the Analyzer.
public enum ProcessedUpload {
    /// Puts `data` at `key` and at its rendition key in a new bucket named after `prefix`.
    /// - Returns: the bucket and the event.
    public static func make(
        _ data: Data, key: String, bucketPrefix prefix: String, s3: S3Client, width: Int = 800, height: Int = 600
    ) async throws -> (bucket: String, event: ImageProcessed) {
        let bucket = MotoServer.uniqueName(prefix)
        try await s3.createBucket(bucket)
        try await s3.put(bucket: bucket, key: key, data: data, contentType: "image/jpeg")
        try await s3.put(bucket: bucket, key: "renditions/\(key).jpg", data: data, contentType: "image/jpeg")
        let etag = try await s3.head(bucket: bucket, key: key).etag
        let user = String(key.prefix { $0 != "/" })
        return (
            bucket,
            ImageProcessed(
                itemID: ItemID.of(bucket: bucket, key: key), userID: user, bucket: bucket, originalKey: key,
                thumbnailKey: "thumbnails/\(key).jpg", contentType: "image/jpeg", width: width, height: height,
                bytes: data.count, etag: etag, renditionKey: "renditions/\(key).jpg")
        )
    }
}
