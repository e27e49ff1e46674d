import Crypto
import Foundation

/// An ``ObjectStore`` over a folder: `root/bucket/key`. Used by `collections ingest` on a laptop,
/// so thumbnails can be opened from disk. ETags are MD5 hex, as S3 gives for single-part uploads.
public struct FileSystemObjectStore: ObjectStore {
    /// The folder holding one subfolder per bucket.
    public let root: URL

    /// Creates a store rooted at `root` (created on first write).
    public init(root: URL) {
        self.root = root
    }

    /// The file that holds an object.
    /// - Throws: ``ObjectStoreError`` with code `invalidKey` for keys that would leave the bucket's folder.
    public func path(bucket: String, key: String) throws -> URL {
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        guard !bucket.isEmpty, !bucket.contains("/"), !key.isEmpty, key.utf8.count <= 1024,
            !segments.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty })
        else {
            throw ObjectStoreError(.invalidKey, "key \(quoted(key)) cannot be stored in a folder")
        }
        return root.appendingPathComponent(bucket).appendingPathComponent(key)
    }

    public func get(bucket: String, key: String, maxBytes: Int, ifMatch: String?) async throws -> StoredObject {
        let file = try path(bucket: bucket, key: key)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
            attributes[.type] as? FileAttributeType == .typeRegular
        else {
            throw ObjectStoreError.notFound(bucket, key)
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maxBytes else {
            throw ObjectStoreError.tooLarge(bucket, key, size: size, limit: maxBytes)
        }
        do {
            let data = try Data(contentsOf: file)
            let object = StoredObject(data: data, etag: Insecure.MD5.hash(data: data).hexString)
            if let ifMatch, ifMatch != object.etag {
                throw ObjectStoreError.changed(bucket, key, expected: ifMatch, found: object.etag)
            }
            return object
        } catch let error as ObjectStoreError {
            throw error
        } catch {
            throw ObjectStoreError(.failed, "cannot read s3://\(bucket)/\(key) from \(file.path): \(error)")
        }
    }

    public func head(bucket: String, key: String) async throws -> ObjectHead {
        let object = try await get(bucket: bucket, key: key, maxBytes: .max)
        return ObjectHead(size: object.data.count, etag: object.etag)
    }

    public func put(bucket: String, key: String, data: Data, contentType: String) async throws {
        let file = try path(bucket: bucket, key: key)
        do {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: file, options: .atomic)
        } catch {
            throw ObjectStoreError(.failed, "cannot write s3://\(bucket)/\(key) to \(file.path): \(error)")
        }
    }
}
