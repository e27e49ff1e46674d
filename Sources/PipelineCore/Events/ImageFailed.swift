import Foundation

/// Sent by ImageProcessor when it refuses an upload for good (corrupt, too large, not a photo),
/// so that Analyzer, which owns the database, records the failure on the item.
///
/// The invocation still fails afterwards, so the upload also reaches the dead-letter path.
public struct ImageFailed: PipelineEventDetail {
    public static let source = "collections.imageprocessor"
    public static let detailType = "ImageFailed"

    /// The item, derived from bucket and key (``ItemID``).
    public var itemID: UUID
    /// The first segment of the original key.
    public var userID: String
    /// The upload's bucket.
    public var bucket: String
    /// The upload's key.
    public var originalKey: String
    /// The upload's ETag, when known.
    public var etag: String?
    /// The upload's size in bytes, when known.
    public var bytes: Int?
    /// The version id, for versioned buckets.
    public var versionID: String?
    /// S3's ordering token for the upload.
    public var sequencer: String?
    /// The stage that refused it.
    public var stage: String
    /// A stable code, such as `corrupt` or `tooManyPixels`.
    public var errorCode: String
    /// What was wrong, in words.
    public var errorMessage: String

    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case userID = "user_id"
        case bucket
        case originalKey = "original_key"
        case etag, bytes
        case versionID = "version_id"
        case sequencer, stage
        case errorCode = "error_code"
        case errorMessage = "error_message"
    }

    /// Creates the detail.
    public init(
        itemID: UUID, userID: String, bucket: String, originalKey: String, etag: String?, bytes: Int?,
        versionID: String? = nil, sequencer: String? = nil, stage: String, errorCode: String, errorMessage: String
    ) {
        self.itemID = itemID
        self.userID = userID
        self.bucket = bucket
        self.originalKey = originalKey
        self.etag = etag
        self.bytes = bytes
        self.versionID = versionID
        self.sequencer = sequencer
        self.stage = stage
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        itemID = try c.decode(UUID.self, forKey: .itemID)
        userID = try c.decodeNonEmpty(.userID)
        bucket = try c.decodeNonEmpty(.bucket)
        originalKey = try c.decodeNonEmpty(.originalKey)
        etag = try c.decodeIfPresent(String.self, forKey: .etag)
        bytes = try c.decodeIfPresent(Int.self, forKey: .bytes)
        versionID = try c.decodeIfPresent(String.self, forKey: .versionID)
        sequencer = try c.decodeIfPresent(String.self, forKey: .sequencer)
        stage = try c.decodeNonEmpty(.stage)
        errorCode = try c.decodeNonEmpty(.errorCode)
        errorMessage = try c.decodeNonEmpty(.errorMessage)
        if let bytes, bytes < 0 {
            throw DecodingError.dataCorruptedError(forKey: .bytes, in: c, debugDescription: "must not be negative")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(itemID.lowercasedString, forKey: .itemID)
        try c.encode(userID, forKey: .userID)
        try c.encode(bucket, forKey: .bucket)
        try c.encode(originalKey, forKey: .originalKey)
        try c.encodeIfPresent(etag, forKey: .etag)
        try c.encodeIfPresent(bytes, forKey: .bytes)
        try c.encodeIfPresent(versionID, forKey: .versionID)
        try c.encodeIfPresent(sequencer, forKey: .sequencer)
        try c.encode(stage, forKey: .stage)
        try c.encode(errorCode, forKey: .errorCode)
        try c.encode(errorMessage, forKey: .errorMessage)
    }
}
