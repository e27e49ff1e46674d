/// What the checks found in one function's archive.
public struct ArchiveReport: Sendable {
    /// The function.
    public var function: String
    /// The machine every ELF file in it is built for, as readelf names it.
    public var machine: String = ""
    /// The newest C library version any file in it needs.
    public var glibcRequired: GlibcVersion?
    /// The C library version it carries.
    public var glibcBundled: GlibcVersion?
    /// How many files it holds.
    public var files = 0
    /// The sum of its files' sizes: what Lambda counts against 250 MB.
    public var unpackedBytes: Int64 = 0
    /// The zip's size, once made.
    public var zippedBytes: Int64?
    /// Problems that make it unusable: it is not written.
    public var errors: [String] = []
    /// Problems worth knowing about that don't stop a deployment.
    public var warnings: [String] = []

    /// Lambda's name for the architecture (`x86_64`, `arm64`), or the machine name.
    public var architecture: String {
        switch machine {
        case "Advanced Micro Devices X86-64": "x86_64"
        case "AArch64": "arm64"
        default: machine
        }
    }

    /// Creates an empty report.
    public init(function: String) {
        self.function = function
    }
}
