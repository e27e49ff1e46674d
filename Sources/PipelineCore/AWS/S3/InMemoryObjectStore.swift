import Crypto
import Foundation
import Synchronization

/// An ``ObjectStore`` in memory, for unit tests.
public final class InMemoryObjectStore: ObjectStore {
    private let objects = Mutex([String: StoredObject]())

    /// Creates an empty store.
    public init() {}

    /// Every key currently stored, as `bucket/key`.
    public var keys: [String] { objects.withLock { Array($0.keys).sorted() } }

    public func get(bucket: String, key: String, maxBytes: Int, ifMatch: String?) async throws -> StoredObject {
        guard let object = objects.withLock({ $0["\(bucket)/\(key)"] }) else {
            throw ObjectStoreError.notFound(bucket, key)
        }
        if let ifMatch, ifMatch != object.etag {
            throw ObjectStoreError.changed(bucket, key, expected: ifMatch, found: object.etag)
        }
        guard object.data.count <= maxBytes else {
            throw ObjectStoreError.tooLarge(bucket, key, size: object.data.count, limit: maxBytes)
        }
        return object
    }

    public func head(bucket: String, key: String) async throws -> ObjectHead {
        guard let object = objects.withLock({ $0["\(bucket)/\(key)"] }) else {
            throw ObjectStoreError.notFound(bucket, key)
        }
        return ObjectHead(size: object.data.count, etag: object.etag, contentType: object.contentType)
    }

    public func put(bucket: String, key: String, data: Data, contentType: String) async throws {
        let object = StoredObject(data: data, etag: Insecure.MD5.hash(data: data).hexString, contentType: contentType)
        objects.withLock { $0["\(bucket)/\(key)"] = object }
    }
}
