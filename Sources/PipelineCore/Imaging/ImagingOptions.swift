/// How thumbnails and renditions are made, and what inputs are refused.
public struct ImagingOptions: Sendable, Equatable {
    /// Encodings a thumbnail can be written in.
    public enum ThumbnailFormat: String, Sendable, CaseIterable {
        case jpeg, webp
    }

    /// Long edge of the thumbnail in pixels (never enlarged beyond the original).
    public var thumbnailSize: Int = 512
    /// Thumbnail encoding.
    public var thumbnailFormat: ThumbnailFormat = .jpeg
    /// Encoder quality, 1–100.
    public var quality: Int = 80
    /// Long edge of the analysis rendition: Claude's recommended maximum.
    public var renditionSize: Int = 1568
    /// Largest rendition accepted by the Messages API.
    public var renditionMaxBytes: Int = 5 * 1024 * 1024
    /// Originals larger than this many bytes are refused before decoding.
    public var maxInputBytes: Int = 50 * 1024 * 1024
    /// Originals declaring more pixels than this (width × height × frames) are refused before decoding.
    public var maxInputPixels: Int = 100_000_000

    /// The defaults.
    public init() {}
}
