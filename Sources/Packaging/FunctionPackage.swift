/// One function's archive: which binary it carries and what it may bring of libvips.
public struct FunctionPackage: Sendable, Hashable {
    /// The executable product, also the archive's name (`ImageProcessor.zip`).
    public var name: String
    /// Whether libvips may be in the archive at all (only ImageProcessor decodes images).
    public var allowsLibvips: Bool
    /// The libvips modules to ship (`heif` is `vips-modules-X.Y/vips-heif.so`). Only modules for
    /// formats the pipeline accepts: the others (ImageMagick, PDF, OpenSlide, JPEG XL) would only
    /// add size and attack surface.
    public var libvipsModules: [String]
    /// Shared libraries the archive must not carry, by the start of their file name (`libicu`).
    public var refusedLibraries: [String]

    /// Creates one.
    public init(
        name: String, allowsLibvips: Bool = false, libvipsModules: [String] = [], refusedLibraries: [String] = []
    ) {
        self.name = name
        self.allowsLibvips = allowsLibvips
        self.libvipsModules = libvipsModules
        self.refusedLibraries = refusedLibraries
    }

    /// What Foundation's XMLParser brings: libxml2 and ICU, 35 MB of a 120 MB archive. PipelineCore
    /// parses XML with libexpat instead; an `import FoundationXML` would bring them back.
    public static let foundationXML = ["libxml2", "libicu"]

    /// The pipeline's three functions.
    public static let pipeline = [
        FunctionPackage(name: "ImageProcessor", allowsLibvips: true, libvipsModules: ["heif"]),
        FunctionPackage(name: "Analyzer", refusedLibraries: foundationXML),
        FunctionPackage(name: "Embedder", refusedLibraries: foundationXML),
    ]
}
