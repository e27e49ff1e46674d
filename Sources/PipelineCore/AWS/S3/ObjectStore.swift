import Foundation

/// Object storage as the stages need it: S3 in production, a folder or memory locally.
public protocol ObjectStore: Sendable {
    /// Reads an object.
    /// - Parameters:
    ///   - bucket: the bucket.
    ///   - key: the object key, decoded.
    ///   - maxBytes: refuse objects larger than this.
    ///   - ifMatch: read only if the object's ETag is still this one (S3's `If-Match`).
    /// - Throws: ``ObjectStoreError`` with code `notFound`, `tooLarge`, or `changed` when the
    ///   object is no longer the version `ifMatch` names.
    func get(bucket: String, key: String, maxBytes: Int, ifMatch: String?) async throws -> StoredObject

    /// Writes an object, replacing any with the same key.
    func put(bucket: String, key: String, data: Data, contentType: String) async throws

    /// Reads what the store knows about an object without its bytes.
    /// - Throws: ``ObjectStoreError`` with code `notFound`.
    func head(bucket: String, key: String) async throws -> ObjectHead
}

extension ObjectStore {
    /// Reads an object, whatever its version.
    public func get(bucket: String, key: String, maxBytes: Int) async throws -> StoredObject {
        try await get(bucket: bucket, key: key, maxBytes: maxBytes, ifMatch: nil)
    }
}

/// An object's size and identity, without its bytes.
public struct ObjectHead: Sendable, Equatable {
    /// The size in bytes.
    public var size: Int
    /// The ETag, without quotes.
    public var etag: String
    /// The stored content type, if any.
    public var contentType: String?

    /// Creates one.
    public init(size: Int, etag: String, contentType: String? = nil) {
        self.size = size
        self.etag = etag
        self.contentType = contentType
    }
}

/// An object's bytes and what the store says about them.
public struct StoredObject: Sendable {
    /// The bytes.
    public var data: Data
    /// The ETag, without quotes.
    public var etag: String
    /// The stored content type, if any.
    public var contentType: String?

    /// Creates one.
    public init(data: Data, etag: String, contentType: String? = nil) {
        self.data = data
        self.etag = etag
        self.contentType = contentType
    }
}

/// Why an object could not be read or written.
public struct ObjectStoreError: Error, CustomStringConvertible {
    /// What kind of failure it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }

        /// No such object.
        public static let notFound = Code(name: "notFound")
        /// The object is larger than the caller accepts.
        public static let tooLarge = Code(name: "tooLarge")
        /// The object is no longer the version the caller asked for (a newer upload replaced it).
        public static let changed = Code(name: "changed")
        /// The key cannot be stored (empty, too long, or escapes the store's folder).
        public static let invalidKey = Code(name: "invalidKey")
        /// Reading or writing failed.
        public static let failed = Code(name: "failed")
    }

    /// What kind of failure it is.
    public let code: Code
    /// What happened, naming bucket and key.
    public let message: String
    /// The store's own error, such as an ``AWSError`` with S3's code and request id.
    public let underlying: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { underlying.map { "\(message): \($0)" } ?? message }
}

extension ObjectStoreError {
    static func notFound(_ bucket: String, _ key: String) -> ObjectStoreError {
        ObjectStoreError(.notFound, "object s3://\(bucket)/\(key) does not exist")
    }

    static func changed(_ bucket: String, _ key: String, expected: String, found: String?) -> ObjectStoreError {
        ObjectStoreError(
            .changed,
            "object s3://\(bucket)/\(key) is no longer version \(expected)"
                + (found.map { " (its ETag is now \($0))" } ?? ""))
    }

    static func tooLarge(_ bucket: String, _ key: String, size: Int, limit: Int) -> ObjectStoreError {
        ObjectStoreError(.tooLarge, "object s3://\(bucket)/\(key) is \(size) bytes, over the limit of \(limit) bytes")
    }
}
