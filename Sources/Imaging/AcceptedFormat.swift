import CVips
import PipelineCore

/// The raster formats the pipeline accepts, recognised by the loader class libvips would pick.
///
/// Everything else is refused before decoding: documents (PDF), vector images (SVG, which can
/// reference other files), and the catch-all loaders that untrusted input should never reach.
struct AcceptedFormat: Sendable {
    /// Short name: `jpeg`, `png`, ...
    let name: String
    /// MIME type.
    let contentType: String

    private static let byLoader: [String: AcceptedFormat] = [
        "VipsForeignLoadJpegBuffer": AcceptedFormat(name: "jpeg", contentType: "image/jpeg"),
        "VipsForeignLoadPngBuffer": AcceptedFormat(name: "png", contentType: "image/png"),
        "VipsForeignLoadWebpBuffer": AcceptedFormat(name: "webp", contentType: "image/webp"),
        "VipsForeignLoadNsgifBuffer": AcceptedFormat(name: "gif", contentType: "image/gif"),
        "VipsForeignLoadHeifBuffer": AcceptedFormat(name: "heif", contentType: "image/heif"),
        "VipsForeignLoadTiffBuffer": AcceptedFormat(name: "tiff", contentType: "image/tiff"),
    ]

    /// Whether libvips must decode this format on one worker thread. JPEG decodes on all of them,
    /// and a truncated JPEG fails every time; with two threads libvips 8.14 sometimes loses a PNG
    /// loader's error (`cvips_one_thread` in shim.h). The other loaders are not known to be safe,
    /// so only JPEG, most uploads, gets the threads.
    var decodesOnOneThread: Bool { name != "jpeg" }

    /// Names of the accepted formats, for messages and documentation.
    static var names: [String] { byLoader.values.map(\.name).sorted() }

    /// Finds the format of the bytes, or explains why they are refused.
    static func detect(_ bytes: UnsafeRawPointer, _ count: Int) throws -> AcceptedFormat {
        guard let loaderName = vips_foreign_find_load_buffer(bytes, count) else {
            _ = Vips.takeError()
            throw ImagingError(
                .unsupportedFormat,
                "the bytes are not an image format libvips can read here (accepted: \(names.joined(separator: ", ")))")
        }
        let loader = String(cString: loaderName)
        guard let format = byLoader[loader] else {
            let kind = loader.replacingOccurrences(of: "VipsForeignLoad", with: "").replacingOccurrences(
                of: "Buffer", with: ""
            ).uppercased()
            throw ImagingError(
                .unsupportedFormat,
                "\(kind) files are not accepted (accepted: \(names.joined(separator: ", ")))")
        }
        return format
    }
}
