import Foundation

/// What packaging needs to know about one ELF file, as `readelf` reports it.
public struct ELFFile: Sendable {
    /// The machine, as readelf names it (`Advanced Micro Devices X86-64`, `AArch64`).
    public var machine: String
    /// The dynamic loader it asks for (`PT_INTERP`); `nil` for libraries and static programs.
    public var interpreter: String?
    /// The shared libraries it needs (`DT_NEEDED`), in order.
    public var needed: [String]
    /// Its own library name (`DT_SONAME`).
    public var soname: String?
    /// The newest C library symbol version it needs.
    public var requiredGlibc: GlibcVersion?
    /// The newest C library symbol version it defines: set for the C library's own files.
    public var definedGlibc: GlibcVersion?
    /// Whether it has a dynamic section at all (a static program has none).
    public var isDynamic: Bool

    private init() {
        machine = ""
        needed = []
        isDynamic = false
    }

    /// Whether the file starts with the ELF magic number.
    public static func isELF(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 4)) == Data([0x7F, 0x45, 0x4C, 0x46])
    }

    /// Reads a file with `readelf`.
    /// - Throws: ``PackagingError`` when readelf fails or the file is not ELF.
    public init(contentsOf url: URL) async throws {
        guard Self.isELF(url) else { throw PackagingError("\(url.path) is not an ELF file") }
        self = Self.parse(try await Tool.output("readelf", ["-h", "-l", "-d", "-V", "-W", url.path]))
    }

    /// Parses the output of `readelf -h -l -d -V -W`.
    static func parse(_ text: String) -> ELFFile {
        var file = ELFFile()
        var section = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Version definition section") {
                section = "definitions"
            } else if line.hasPrefix("Version needs section") {
                section = "needs"
            } else if line.hasPrefix("Version symbols section") || line.hasPrefix("Dynamic section")
                || line.hasPrefix("Program Headers") || line.hasPrefix("ELF Header")
            {
                section = ""
                if line.hasPrefix("Dynamic section") { file.isDynamic = true }
            } else if line.contains("Machine:") && file.machine.isEmpty {
                file.machine = line.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
            } else if let value = bracketed(line, after: "[Requesting program interpreter: ") {
                file.interpreter = value
            } else if line.contains("(NEEDED)"), let value = bracketed(line, after: "Shared library: [") {
                file.needed.append(value)
            } else if line.contains("(SONAME)"), let value = bracketed(line, after: "Library soname: [") {
                file.soname = value
            } else if !section.isEmpty, !line.contains("Parent"), let range = line.range(of: "Name: ") {
                let name = line[range.upperBound...].split(separator: " ").first.map(String.init) ?? ""
                guard let version = GlibcVersion(symbolVersion: name) else { continue }
                if section == "needs" {
                    file.requiredGlibc = max(file.requiredGlibc ?? version, version)
                } else {
                    file.definedGlibc = max(file.definedGlibc ?? version, version)
                }
            }
        }
        return file
    }

    private static func bracketed(_ line: Substring, after prefix: String) -> String? {
        guard let start = line.range(of: prefix), let end = line[start.upperBound...].firstIndex(of: "]") else {
            return nil
        }
        return String(line[start.upperBound..<end])
    }
}
