import Foundation

/// One of the events the pipeline sends on its bus (DESIGN.md §2). Ids are written in lowercase,
/// as PostgreSQL and Python print them.
public protocol PipelineEventDetail: Codable, Sendable, Equatable {
    /// The EventBridge `source`.
    static var source: String { get }
    /// The EventBridge `detail-type`.
    static var detailType: String { get }
}

extension PipelineEventDetail {
    /// Decodes this detail from an event as EventBridge delivers it, checking its `detail-type`.
    /// - Parameter data: the whole event JSON.
    /// - Throws: ``EventError`` naming the missing or invalid field, or the unexpected `detail-type`.
    public static func decodeEvent(from data: Data) throws -> Self {
        try EventDecoding.decode(DeliveredEvent<Self>.self, from: data, what: "\(detailType) event").detail
    }
}

/// An event as EventBridge delivers it whose `detail-type` must be `Detail`'s, decoded in one
/// pass: `detail-type` first, so that another type is named before its detail is read.
public struct DeliveredEvent<Detail: PipelineEventDetail>: Decodable, Sendable {
    /// The detail.
    public var detail: Detail

    enum CodingKeys: String, CodingKey {
        case detail
        case detailType = "detail-type"
    }

    public init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        let detailType = try fields.decode(String.self, forKey: .detailType)
        guard detailType == Detail.detailType else {
            throw EventError(
                .unsupportedEvent, "expected a \(Detail.detailType) event, got detail-type \(quoted(detailType))")
        }
        detail = try fields.decode(Detail.self, forKey: .detail)
    }
}

/// Sent by ImageProcessor once the thumbnail and the analysis rendition are stored.
public struct ImageProcessed: PipelineEventDetail {
    public static let source = "collections.imageprocessor"
    public static let detailType = "ImageProcessed"

    /// The item, derived from bucket and key (``ItemID``).
    public var itemID: UUID
    /// The first segment of the original key.
    public var userID: String
    /// The bucket holding original, thumbnail and rendition.
    public var bucket: String
    /// The uploaded object's key.
    public var originalKey: String
    /// Where the thumbnail was written.
    public var thumbnailKey: String
    /// The original's content type, as sniffed from its bytes.
    public var contentType: String
    /// The original's upright width in pixels.
    public var width: Int
    /// The original's upright height in pixels.
    public var height: Int
    /// The original's size in bytes.
    public var bytes: Int
    /// The original's ETag, without quotes.
    public var etag: String
    /// Where the analysis rendition was written (added field; derived from the key when absent).
    public var renditionKey: String?
    /// The original's version id, for versioned buckets.
    public var versionID: String?
    /// S3's ordering token for the upload.
    public var sequencer: String?
    /// The format libvips detected, such as `jpeg` or `png`.
    public var format: String?
    /// The EXIF orientation of the original (1–8).
    public var orientation: Int?

    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case userID = "user_id"
        case bucket
        case originalKey = "original_key"
        case thumbnailKey = "thumbnail_key"
        case contentType = "content_type"
        case width, height, bytes, etag
        case renditionKey = "rendition_key"
        case versionID = "version_id"
        case sequencer, format, orientation
    }

    /// Creates the detail.
    public init(
        itemID: UUID, userID: String, bucket: String, originalKey: String, thumbnailKey: String,
        contentType: String, width: Int, height: Int, bytes: Int, etag: String, renditionKey: String? = nil,
        versionID: String? = nil, sequencer: String? = nil, format: String? = nil, orientation: Int? = nil
    ) {
        self.itemID = itemID
        self.userID = userID
        self.bucket = bucket
        self.originalKey = originalKey
        self.thumbnailKey = thumbnailKey
        self.contentType = contentType
        self.width = width
        self.height = height
        self.bytes = bytes
        self.etag = etag
        self.renditionKey = renditionKey
        self.versionID = versionID
        self.sequencer = sequencer
        self.format = format
        self.orientation = orientation
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        itemID = try c.decode(UUID.self, forKey: .itemID)
        userID = try c.decodeNonEmpty(.userID)
        bucket = try c.decodeNonEmpty(.bucket)
        originalKey = try c.decodeNonEmpty(.originalKey)
        thumbnailKey = try c.decodeNonEmpty(.thumbnailKey)
        contentType = try c.decodeNonEmpty(.contentType)
        width = try c.decode(Int.self, forKey: .width)
        height = try c.decode(Int.self, forKey: .height)
        bytes = try c.decode(Int.self, forKey: .bytes)
        etag = try c.decodeNonEmpty(.etag)
        renditionKey = try c.decodeIfPresent(String.self, forKey: .renditionKey)
        versionID = try c.decodeIfPresent(String.self, forKey: .versionID)
        sequencer = try c.decodeIfPresent(String.self, forKey: .sequencer)
        format = try c.decodeIfPresent(String.self, forKey: .format)
        orientation = try c.decodeIfPresent(Int.self, forKey: .orientation)
        for (key, value) in [(CodingKeys.width, width), (.height, height), (.bytes, bytes)] where value <= 0 {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "must be positive")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(itemID.lowercasedString, forKey: .itemID)
        try c.encode(userID, forKey: .userID)
        try c.encode(bucket, forKey: .bucket)
        try c.encode(originalKey, forKey: .originalKey)
        try c.encode(thumbnailKey, forKey: .thumbnailKey)
        try c.encode(contentType, forKey: .contentType)
        try c.encode(width, forKey: .width)
        try c.encode(height, forKey: .height)
        try c.encode(bytes, forKey: .bytes)
        try c.encode(etag, forKey: .etag)
        try c.encodeIfPresent(renditionKey, forKey: .renditionKey)
        try c.encodeIfPresent(versionID, forKey: .versionID)
        try c.encodeIfPresent(sequencer, forKey: .sequencer)
        try c.encodeIfPresent(format, forKey: .format)
        try c.encodeIfPresent(orientation, forKey: .orientation)
    }
}

/// Sent by Analyzer once an analysis is stored.
public struct ImageAnalyzed: PipelineEventDetail {
    public static let source = "collections.analyzer"
    public static let detailType = "ImageAnalyzed"

    /// The item analysed.
    public var itemID: UUID
    /// The stored analysis row.
    public var analysisID: UUID
    /// The model that produced it.
    public var model: String
    /// The prompt and schema version it was asked with.
    public var promptVersion: String

    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case analysisID = "analysis_id"
        case model
        case promptVersion = "prompt_version"
    }

    /// Creates the detail.
    public init(itemID: UUID, analysisID: UUID, model: String, promptVersion: String) {
        self.itemID = itemID
        self.analysisID = analysisID
        self.model = model
        self.promptVersion = promptVersion
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(itemID.lowercasedString, forKey: .itemID)
        try c.encode(analysisID.lowercasedString, forKey: .analysisID)
        try c.encode(model, forKey: .model)
        try c.encode(promptVersion, forKey: .promptVersion)
    }
}

/// Sent by Embedder once an embedding is stored, for downstream consumers.
public struct ItemEmbedded: PipelineEventDetail {
    public static let source = "collections.embedder"
    public static let detailType = "ItemEmbedded"

    /// The item embedded.
    public var itemID: UUID
    /// The embedding model.
    public var embeddingModel: String
    /// The vector's dimension.
    public var dimensions: Int

    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case embeddingModel = "embedding_model"
        case dimensions
    }

    /// Creates the detail.
    public init(itemID: UUID, embeddingModel: String, dimensions: Int) {
        self.itemID = itemID
        self.embeddingModel = embeddingModel
        self.dimensions = dimensions
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(itemID.lowercasedString, forKey: .itemID)
        try c.encode(embeddingModel, forKey: .embeddingModel)
        try c.encode(dimensions, forKey: .dimensions)
    }
}
