import CVips
import Foundation
import PipelineCore

/// Renders thumbnails and analysis renditions with libvips, decoding each original once.
public struct VipsImageRenderer: ImageRenderer {
    /// Sizes, encodings and input limits.
    public var options: ImagingOptions

    /// Creates a renderer.
    /// - Parameter options: sizes, encodings and input limits.
    public init(options: ImagingOptions = ImagingOptions()) {
        self.options = options
    }

    public func render(_ original: Data) throws -> RenderedImages {
        try withOriginal(original) { original in
            let edge = options.renditionEdge(width: original.metadata.width, height: original.metadata.height)
            let renditionPixels = try shrunk(original, to: edge)
            let rendition = try encodeRendition(try flattenedSRGB(renditionPixels))
            let thumbnailPixels = try VipsImageHandle.make(.encodeFailed, "cannot shrink to a thumbnail") {
                cvips_thumbnail_image(renditionPixels.pointer, $0, Int32(options.thumbnailSize))
            }
            let thumbnail = try encode(try flattenedSRGB(thumbnailPixels), as: options.thumbnailFormat)
            return RenderedImages(metadata: original.metadata, thumbnail: thumbnail, rendition: rendition)
        }
    }

    /// The thumbnail alone, shrunk on load straight to `thumbnailSize`: what ``render(_:)`` makes
    /// without the analysis rendition, with the same checks, rotation, colour handling and encoding.
    /// - Parameter original: the uploaded bytes.
    /// - Throws: ``ImagingError`` naming the limit or the decode failure.
    public func thumbnail(_ original: Data) throws -> EncodedImage {
        try withOriginal(original) { original in
            try encode(try flattenedSRGB(try shrunk(original, to: options.thumbnailSize)), as: options.thumbnailFormat)
        }
    }

    /// The original decoded, autorotated and shrunk to a long edge of at most `size`, in memory.
    private func shrunk(_ original: CheckedOriginal, to size: Int) throws -> VipsImageHandle {
        let shrink = Self.jpegShrink(original, to: size)
        let decoded = try VipsImageHandle.make(.corrupt, "cannot decode the \(original.format.name) image") {
            shrink > 1
                ? cvips_thumbnail_jpeg_buffer(
                    original.bytes, original.count, $0, Int32(size), original.convertICC, Int32(shrink))
                : cvips_thumbnail_buffer(original.bytes, original.count, $0, Int32(size), original.convertICC)
        }
        return try decoded.inMemory(original.format)
    }

    /// How much libjpeg should shrink a JPEG while decoding it for a long edge of `target`: the
    /// largest of 1, 2, 4 and 8 that leaves the decoded long edge at least `target` (1 for other formats).
    /// libvips would stop at half that, decoding a 24 MP photo in full for the 1568 px rendition and
    /// a 4 MP one at half size for the 512 px thumbnail; libvips then resizes the rest of the way.
    private static func jpegShrink(_ original: CheckedOriginal, to target: Int) -> Int {
        guard original.format.name == "jpeg" else { return 1 }
        let longEdge = max(original.metadata.width, original.metadata.height)
        var shrink = 1
        while shrink < 8, longEdge / (shrink * 2) >= target { shrink *= 2 }
        return shrink
    }

    /// An original whose size, format and header passed the checks; its bytes stay valid for the call.
    private struct CheckedOriginal {
        let bytes: UnsafeMutableRawPointer
        let count: Int
        let format: AcceptedFormat
        let metadata: ImageMetadata
        /// 1 when the embedded profile must be converted to sRGB (``VipsImageHandle/needsICCConversion``).
        let convertICC: Int32
    }

    /// Checks the original's size, format, header and pixel count, then runs `body` on it.
    /// libvips decodes lazily: the bytes must stay valid until the last pixel is computed, which
    /// ``VipsImageHandle/inMemory(_:)`` forces inside `body`.
    private func withOriginal<T>(_ original: Data, _ body: (CheckedOriginal) throws -> T) throws -> T {
        try Vips.start()
        try checkSize(original)
        return try original.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { throw ImagingError(.empty, "the image is empty (0 bytes)") }
            let format = try AcceptedFormat.detect(base, raw.count)
            let header = try VipsImageHandle.make(.unsupportedFormat, "cannot read the \(format.name) header") {
                $0.pointee = cvips_header_from_buffer(base, raw.count)
                return $0.pointee == nil ? -1 : 0
            }
            return try body(
                CheckedOriginal(
                    bytes: UnsafeMutableRawPointer(mutating: base), count: raw.count, format: format,
                    metadata: try metadata(of: header, format: format, bytes: raw.count),
                    convertICC: header.needsICCConversion))
        }
    }

    private func checkSize(_ original: Data) throws {
        if original.isEmpty {
            throw ImagingError(.empty, "the image is empty (0 bytes)")
        }
        if original.count > options.maxInputBytes {
            throw ImagingError(
                .tooManyBytes,
                "the image is \(original.count) bytes, over the limit of \(options.maxInputBytes) bytes (maxInputBytes)"
            )
        }
    }

    private func metadata(of header: VipsImageHandle, format: AcceptedFormat, bytes: Int) throws -> ImageMetadata {
        let pixels = header.width * header.height
        if pixels > options.maxInputPixels {
            throw ImagingError(
                .tooManyPixels,
                "the image declares \(header.width)×\(header.height) = \(pixels) pixels, over the limit of "
                    + "\(options.maxInputPixels) pixels (maxInputPixels)")
        }
        let orientation = Int(cvips_orientation(header.pointer))
        let swapsSides = (5...8).contains(orientation)
        return ImageMetadata(
            format: format.name, contentType: format.contentType,
            width: swapsSides ? header.height : header.width, height: swapsSides ? header.width : header.height,
            orientation: orientation, bytes: bytes)
    }

    /// 8-bit sRGB with alpha flattened onto white, whatever came in (grey, 16-bit, CMYK, RGBA).
    private func flattenedSRGB(_ image: VipsImageHandle) throws -> VipsImageHandle {
        let srgb = try VipsImageHandle.make(.encodeFailed, "cannot convert to sRGB") {
            cvips_to_srgb8(image.pointer, $0)
        }
        return try VipsImageHandle.make(.encodeFailed, "cannot flatten transparency") {
            cvips_flatten_white(srgb.pointer, $0)
        }
    }

    private func encodeRendition(_ image: VipsImageHandle) throws -> EncodedImage {
        var quality = max(options.quality, 85)
        while true {
            let encoded = try encode(image, as: .jpeg, quality: quality)
            if encoded.data.count <= options.renditionMaxBytes { return encoded }
            guard quality > 40 else {
                throw ImagingError(
                    .encodeFailed,
                    "the analysis rendition is \(encoded.data.count) bytes even at JPEG quality \(quality), "
                        + "over the limit of \(options.renditionMaxBytes) bytes")
            }
            quality -= 15
        }
    }

    private func encode(
        _ image: VipsImageHandle, as format: ImagingOptions.ThumbnailFormat, quality: Int? = nil
    ) throws -> EncodedImage {
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        let q = Int32(quality ?? options.quality)
        let status =
            switch format {
            case .jpeg: cvips_jpegsave(image.pointer, &buffer, &length, q)
            case .webp: cvips_webpsave(image.pointer, &buffer, &length, q)
            }
        guard status == 0 else {
            g_free(buffer)
            throw ImagingError(.encodeFailed, "cannot encode \(format.rawValue): \(Vips.takeError())")
        }
        let data = VipsImageHandle.takeBuffer(buffer, length)
        return EncodedImage(
            data: data, contentType: "image/\(format.rawValue)", fileExtension: format == .jpeg ? "jpg" : "webp",
            width: image.width, height: image.height)
    }
}
