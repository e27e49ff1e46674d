import Foundation

/// Makes everything ImageProcessor stores from one read of an original.
///
/// The libvips implementation lives in the `Imaging` target, so that only ImageProcessor and the
/// command-line tool link libvips.
public protocol ImageRenderer: Sendable {
    /// Decodes the original once and encodes its thumbnail and analysis rendition.
    /// - Parameter original: the uploaded bytes.
    /// - Throws: ``ImagingError`` naming the limit or the decode failure.
    func render(_ original: Data) throws -> RenderedImages
}

/// What one render of an original produced.
public struct RenderedImages: Sendable {
    /// Facts about the original.
    public var metadata: ImageMetadata
    /// The small preview.
    public var thumbnail: EncodedImage
    /// The rendition sent to the analysis model: JPEG, long edge at most 1568 px, at most 5 MB.
    public var rendition: EncodedImage

    /// Creates a result.
    public init(metadata: ImageMetadata, thumbnail: EncodedImage, rendition: EncodedImage) {
        self.metadata = metadata
        self.thumbnail = thumbnail
        self.rendition = rendition
    }
}

/// Facts about an original image.
public struct ImageMetadata: Sendable, Equatable, Codable {
    /// The format libvips detected: `jpeg`, `png`, `webp`, `gif`, `heif`, `tiff`, ...
    public var format: String
    /// The MIME type for that format.
    public var contentType: String
    /// Width as displayed, after EXIF rotation.
    public var width: Int
    /// Height as displayed, after EXIF rotation.
    public var height: Int
    /// The EXIF orientation tag (1 when absent).
    public var orientation: Int
    /// Size of the original in bytes.
    public var bytes: Int

    /// Creates metadata.
    public init(format: String, contentType: String, width: Int, height: Int, orientation: Int, bytes: Int) {
        self.format = format
        self.contentType = contentType
        self.width = width
        self.height = height
        self.orientation = orientation
        self.bytes = bytes
    }
}

/// Encoded image bytes with their dimensions.
public struct EncodedImage: Sendable {
    /// The file bytes.
    public var data: Data
    /// `image/jpeg` or `image/webp`.
    public var contentType: String
    /// The file extension, without a dot.
    public var fileExtension: String
    /// Pixel width.
    public var width: Int
    /// Pixel height.
    public var height: Int

    /// Creates an encoded image.
    public init(data: Data, contentType: String, fileExtension: String, width: Int, height: Int) {
        self.data = data
        self.contentType = contentType
        self.fileExtension = fileExtension
        self.width = width
        self.height = height
    }
}
