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
    /// The longest the analysis rendition's long edge may be: what the standard image tier reads.
    public var renditionSize: Int = 1568
    /// The most visual tokens the rendition may cost (⌈w/28⌉ × ⌈h/28⌉): the standard tier's 1,568.
    /// The default model, Haiku 5.5, reads images on the high-resolution tier (up to 2576 px and
    /// 4,784 tokens; platform.claude.com/docs/en/models/haiku-5-5/migration-guide, "Recount
    /// tokens", and build-with-claude/vision, read 2026-12-04), where a 1568 px 4:3 rendition
    /// would cost 2,352 tokens; at this budget it costs what the same photo cost Haiku 4.5, with
    /// the detail Haiku 4.5 read.
    public var renditionVisualTokens: Int = 1568
    /// Largest rendition accepted by the Messages API.
    public var renditionMaxBytes: Int = 5 * 1024 * 1024
    /// Originals larger than this many bytes are refused before decoding.
    public var maxInputBytes: Int = 50 * 1024 * 1024
    /// Originals declaring more pixels than this (width × height × frames) are refused before decoding.
    public var maxInputPixels: Int = 100_000_000

    /// The defaults.
    public init() {}

    /// The rendition's long edge for an original of `width` × `height`: at most ``renditionSize``,
    /// and small enough for at most ``renditionVisualTokens`` visual tokens.
    public func renditionEdge(width: Int, height: Int) -> Int {
        let budget = TokenRules(
            maxImageEdge: renditionSize, maxImageTokens: renditionVisualTokens, textTokensPerThousand: 1000)
        let size = budget.readSize(width: width, height: height)
        return max(1, size.width, size.height)
    }
}
