import CVips
import Foundation
import PipelineCore

/// The process-wide libvips runtime: started once, on first use.
enum Vips {
    /// Starts libvips if it has not started yet.
    /// - Throws: ``ImagingError`` with code `startupFailed` when `vips_init` fails.
    static func start() throws {
        if let failure = started { throw failure }
    }

    private static let started: ImagingError? = {
        g_log_set_handler("VIPS", GLogLevelFlags(rawValue: G_LOG_LEVEL_WARNING.rawValue), discardWarning, nil)
        guard cvips_start("collections") == 0 else {
            return ImagingError(.startupFailed, "libvips failed to start: \(takeError())")
        }
        return nil
    }()

    /// Takes libvips' process-global error buffer as text and clears it.
    static func takeError() -> String {
        guard let buffer = vips_error_buffer_copy() else { return "unknown libvips error" }
        defer { g_free(buffer) }
        let text = String(cString: buffer).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "unknown libvips error" : text.replacingOccurrences(of: "\n", with: "; ")
    }
}

/// libvips reports lenient-decode warnings through GLib; we fail on errors instead, so the
/// warnings would only clutter stderr (and the JSON log stream) of a Lambda function.
private let discardWarning: GLogFunc = { _, _, _, _ in }

/// Owns one `VipsImage` reference and releases it when dropped.
final class VipsImageHandle {
    let pointer: UnsafeMutablePointer<VipsImage>

    init(_ pointer: UnsafeMutablePointer<VipsImage>) {
        self.pointer = pointer
    }

    deinit {
        g_object_unref(pointer)
    }

    var width: Int { Int(vips_image_get_width(pointer)) }
    var height: Int { Int(vips_image_get_height(pointer)) }

    /// Runs a libvips operation that produces an image, wrapping its result or its error.
    static func make(
        _ code: ImagingError.Code, _ what: String,
        _ body: (UnsafeMutablePointer<UnsafeMutablePointer<VipsImage>?>) -> Int32
    ) throws -> VipsImageHandle {
        var output: UnsafeMutablePointer<VipsImage>?
        guard body(&output) == 0, let output else {
            throw ImagingError(code, "\(what): \(Vips.takeError())")
        }
        return VipsImageHandle(output)
    }

    /// Whether the image's embedded ICC profile needs converting to sRGB: there is one, and it is
    /// not sRGB already (``ICCProfile/isSRGB(_:)``). 1 or 0, for the shim.
    var needsICCConversion: Int32 {
        var length = 0
        guard let profile = cvips_icc(pointer, &length), length > 0 else { return 0 }
        return ICCProfile.isSRGB(Data(bytes: profile, count: length)) ? 0 : 1
    }

    /// Computes every pixel into memory, so that decode errors surface here; formats that need it
    /// (``AcceptedFormat/decodesOnOneThread``) on one libvips worker thread.
    func inMemory(_ format: AcceptedFormat) throws -> VipsImageHandle {
        let failure = "cannot decode the \(format.name) image"
        var source = self
        if format.decodesOnOneThread {
            source = try VipsImageHandle.make(.corrupt, failure) { cvips_one_thread(pointer, $0) }
        }
        return try VipsImageHandle.make(.corrupt, failure) {
            $0.pointee = vips_image_copy_memory(source.pointer)
            return $0.pointee == nil ? -1 : 0
        }
    }

    /// Takes a buffer that libvips allocated, copying it into `Data` and freeing it.
    static func takeBuffer(_ buffer: UnsafeMutableRawPointer?, _ length: Int) -> Data {
        defer { g_free(buffer) }
        guard let buffer else { return Data() }
        return Data(bytes: buffer, count: length)
    }
}
