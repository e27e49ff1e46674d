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
        try Vips.start()
        try checkSize(original)
        // libvips decodes lazily: the bytes must stay valid until the last pixel is computed,
        // which `copy_memory` forces inside this closure.
        return try original.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { throw ImagingError(.empty, "the image is empty (0 bytes)") }
            let format = try AcceptedFormat.detect(base, raw.count)
            let header = try VipsImageHandle.make(.unsupportedFormat, "cannot read the \(format.name) header") {
                $0.pointee = cvips_header_from_buffer(base, raw.count)
                return $0.pointee == nil ? -1 : 0
            }
            let metadata = try metadata(of: header, format: format, bytes: raw.count)
            let decoded = try VipsImageHandle.make(.corrupt, "cannot decode the \(format.name) image") {
                cvips_thumbnail_buffer(
                    UnsafeMutableRawPointer(mutating: base), raw.count, $0, Int32(options.renditionSize),
                    cvips_has_icc(header.pointer))
            }
            let renditionPixels = try VipsImageHandle.make(.corrupt, "cannot decode the \(format.name) image") {
                $0.pointee = vips_image_copy_memory(decoded.pointer)
                return $0.pointee == nil ? -1 : 0
            }
            let rendition = try encodeRendition(try flattenedSRGB(renditionPixels))
            let thumbnailPixels = try VipsImageHandle.make(.encodeFailed, "cannot shrink to a thumbnail") {
                cvips_thumbnail_image(renditionPixels.pointer, $0, Int32(options.thumbnailSize))
            }
            let thumbnail = try encode(try flattenedSRGB(thumbnailPixels), as: options.thumbnailFormat)
            return RenderedImages(metadata: metadata, thumbnail: thumbnail, rendition: rendition)
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
