/// The classic S3 event notification: `{"Records": [...]}` as S3 sends to SQS, SNS or Lambda.
public struct S3Notification: Decodable, Sendable {
    /// One record per object event.
    public var records: [Record]

    enum CodingKeys: String, CodingKey {
        case records = "Records"
    }

    /// One object event.
    public struct Record: Decodable, Sendable {
        /// Such as `ObjectCreated:Put` or `ObjectRemoved:Delete`.
        public var eventName: String
        /// The bucket and object.
        public var s3: Entity
    }

    /// The `s3` part of a record.
    public struct Entity: Decodable, Sendable {
        /// The bucket.
        public var bucket: Bucket
        /// The object, with its key form-encoded.
        public var object: Object
    }

    /// The bucket named in a record.
    public struct Bucket: Decodable, Sendable {
        /// The bucket name.
        public var name: String
    }

    /// The object named in a record.
    public struct Object: Decodable, Sendable {
        /// The key, form-encoded (`+` for a space).
        public var key: String
        /// The size in bytes (absent for deletions).
        public var size: Int?
        /// The ETag.
        public var eTag: String?
        /// The version id.
        public var versionId: String?
        /// The ordering token.
        public var sequencer: String?
    }
}

/// The `detail` of an EventBridge "Object Created" event from `aws.s3`.
public struct S3ObjectCreatedDetail: Decodable, Sendable {
    /// The bucket.
    public var bucket: S3Notification.Bucket
    /// The object; here the key arrives decoded.
    public var object: Object

    /// The object named in the detail.
    public struct Object: Decodable, Sendable {
        /// The key, not encoded.
        public var key: String
        /// The size in bytes.
        public var size: Int?
        /// The ETag.
        public var etag: String?
        /// The version id.
        public var versionID: String?
        /// The ordering token.
        public var sequencer: String?

        enum CodingKeys: String, CodingKey {
            case key, size, etag, sequencer
            case eTag
            case versionID = "version-id"
        }

        /// Reads the documented `etag`, or `eTag` as moto writes it (the notification spelling).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            key = try container.decode(String.self, forKey: .key)
            size = try container.decodeIfPresent(Int.self, forKey: .size)
            etag =
                try container.decodeIfPresent(String.self, forKey: .etag)
                ?? container.decodeIfPresent(String.self, forKey: .eTag)
            versionID = try container.decodeIfPresent(String.self, forKey: .versionID)
            sequencer = try container.decodeIfPresent(String.self, forKey: .sequencer)
        }
    }
}
