import CVips
import Foundation
import PipelineCore

/// Decodes an encoded image into a small sRGB ``PixelGrid`` with libvips.
public struct VipsPixelDecoder: PixelDecoder {
    /// Creates a decoder.
    public init() {}

    public func decode(_ data: Data, maxEdge: Int) throws -> PixelGrid {
        try Vips.start()
        return try data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { throw ImagingError(.empty, "the image is empty (0 bytes)") }
            let format = try AcceptedFormat.detect(base, raw.count)
            let header = try VipsImageHandle.make(.unsupportedFormat, "cannot read the image header") {
                $0.pointee = cvips_header_from_buffer(base, raw.count)
                return $0.pointee == nil ? -1 : 0
            }
            let small = try VipsImageHandle.make(.corrupt, "cannot decode the image") {
                cvips_thumbnail_buffer(
                    UnsafeMutableRawPointer(mutating: base), raw.count, $0, Int32(maxEdge),
                    header.needsICCConversion)
            }.inMemory(format)
            let srgb = try VipsImageHandle.make(.encodeFailed, "cannot convert to sRGB") {
                cvips_to_srgb8(small.pointer, $0)
            }
            let flat = try VipsImageHandle.make(.encodeFailed, "cannot flatten transparency") {
                cvips_flatten_white(srgb.pointer, $0)
            }
            var length = 0
            let buffer = vips_image_write_to_memory(flat.pointer, &length)
            guard buffer != nil else {
                throw ImagingError(.corrupt, "cannot decode the image: \(Vips.takeError())")
            }
            let pixels = VipsImageHandle.takeBuffer(buffer, length)
            guard pixels.count == flat.width * flat.height * 3 else {
                throw ImagingError(.corrupt, "decoded \(pixels.count) bytes for a \(flat.width)×\(flat.height) image")
            }
            return PixelGrid(width: flat.width, height: flat.height, rgb: [UInt8](pixels))
        }
    }
}
