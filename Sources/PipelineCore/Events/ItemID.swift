import Crypto
import Foundation

/// Derives row ids from what they describe, so that a replay finds the same rows.
///
/// The id is a name-based UUID (RFC 9562 version 5) of `s3://bucket/key` in the
/// ``namespace`` below; Python's `uuid.uuid5(namespace, "s3://bucket/key")` gives the same value.
public enum ItemID {
    /// The namespace UUID of collections' item ids.
    public static let namespace = UUID(uuidString: "6f1c5a3e-4b1d-4c47-9a55-2f3c8d0e7b21")!

    /// The item id of an object.
    /// - Parameters:
    ///   - bucket: the bucket name.
    ///   - key: the decoded object key.
    public static func of(bucket: String, key: String) -> UUID {
        nameBased("s3://\(bucket)/\(key)")
    }

    /// The id of the analysis of one version of an item by one model and prompt version.
    public static func analysis(item: UUID, etag: String, model: String, promptVersion: String) -> UUID {
        nameBased("analysis:\(item.lowercasedString)/\(etag)/\(model)/\(promptVersion)")
    }

    /// The id of the embedding of one analysis by one model at one dimension.
    public static func embedding(analysis: UUID, model: String, dimensions: Int) -> UUID {
        nameBased("embedding:\(analysis.lowercasedString)/\(model)/\(dimensions)")
    }

    /// A version 5 UUID of `name` in ``namespace``.
    static func nameBased(_ name: String) -> UUID {
        let namespaceBytes = withUnsafeBytes(of: namespace.uuid) { Array($0) }
        var hasher = Insecure.SHA1()
        hasher.update(data: namespaceBytes)
        hasher.update(data: Array(name.utf8))
        var bytes = Array(hasher.finalize().prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return bytes.withUnsafeBytes { UUID(uuid: $0.load(as: uuid_t.self)) }
    }
}
