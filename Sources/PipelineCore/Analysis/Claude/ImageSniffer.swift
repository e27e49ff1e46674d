import Foundation

/// What a file's bytes say about it, for the four image types the Messages API takes: the type its
/// signature announces, and whether its container is complete. Analyzer has no image decoder; these
/// checks let it refuse a truncated rendition itself, as a typed error, instead of inferring the
/// image's fault from the wording of the API's 400.
public enum ImageSniffer {
    /// `image/jpeg`, `image/png`, `image/gif` or `image/webp`; nil for anything else.
    public static func mediaType(of data: Data) -> String? {
        let bytes = [UInt8](data.prefix(12))
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8)) { return "image/gif" }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return "image/webp"
        }
        return nil
    }

    /// Why the file's container is incomplete (truncated), or nil when it ends as its format says:
    /// a JPEG with its end-of-image marker, a PNG with its `IEND` chunk, a GIF with its trailer
    /// byte, a WebP as long as its RIFF header says.
    public static func truncation(of data: Data) -> String? {
        let bytes = [UInt8](data)
        switch mediaType(of: data) {
        case "image/jpeg":
            var end = bytes.count
            while end > 2, bytes[end - 1] == 0 { end -= 1 }  // some encoders pad with zeros
            return end >= 4 && bytes[end - 2] == 0xFF && bytes[end - 1] == 0xD9
                ? nil : "the JPEG has no end-of-image marker (truncated)"
        case "image/png":
            return bytes.count >= 20 && Array(bytes.suffix(8)) == [0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]
                ? nil : "the PNG does not end with its IEND chunk (truncated)"
        case "image/gif":
            return bytes.last == 0x3B ? nil : "the GIF has no trailer byte (truncated)"
        case "image/webp":
            let declared = bytes[4..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            return declared + 8 <= bytes.count ? nil : "the WebP is shorter than its RIFF header says (truncated)"
        default:
            return "no image format the Messages API takes"
        }
    }
}
