import CVips
import Foundation
import PipelineCore

/// Reads an image's format and size from its header, without decoding the pixels.
public enum VipsImageProbe {
    /// The width and height an encoded image declares.
    /// - Throws: ``ImagingError`` for empty data, formats we do not accept, and unreadable headers.
    public static func size(of data: Data) throws -> (width: Int, height: Int) {
        try Vips.start()
        return try data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { throw ImagingError(.empty, "the image is empty (0 bytes)") }
            _ = try AcceptedFormat.detect(base, raw.count)
            let header = try VipsImageHandle.make(.unsupportedFormat, "cannot read the image header") {
                $0.pointee = cvips_header_from_buffer(base, raw.count)
                return $0.pointee == nil ? -1 : 0
            }
            return (header.width, header.height)
        }
    }
}
