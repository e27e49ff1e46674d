/// One object an upload notification announced, with the key already decoded.
public struct S3ObjectReference: Sendable, Hashable, Codable {
    /// The bucket name.
    public var bucket: String
    /// The object key, decoded (spaces and unicode as they are).
    public var key: String
    /// The object size in bytes, when the notification gave it.
    public var size: Int?
    /// The ETag without quotes.
    public var etag: String?
    /// The version id, for versioned buckets.
    public var versionID: String?
    /// S3's per-key ordering token: a later write has a larger sequencer.
    public var sequencer: String?

    /// Creates a reference.
    public init(
        bucket: String, key: String, size: Int? = nil, etag: String? = nil, versionID: String? = nil,
        sequencer: String? = nil
    ) {
        self.bucket = bucket
        self.key = key
        self.size = size
        self.etag = etag.map(Self.unquoted)
        self.versionID = versionID
        self.sequencer = sequencer
    }

    /// The user the object belongs to: the first segment of its key.
    /// - Throws: ``EventError`` when the key has no user segment.
    public func userID() throws -> String {
        guard let slash = key.firstIndex(of: "/"), slash != key.startIndex else {
            throw EventError(
                .invalidField,
                "object key \(quoted(key)) has no user prefix: upload under <user_id>/, as in user123/photo.jpg"
            )
        }
        return String(key[..<slash])
    }

    static func unquoted(_ etag: String) -> String {
        var value = Substring(etag)
        if value.hasPrefix("W/") { value = value.dropFirst(2) }
        if value.count >= 2, value.first == "\"", value.last == "\"" {
            value = value.dropFirst().dropLast()
        }
        return String(value)
    }
}
