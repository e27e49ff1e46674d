import Foundation

/// The checks every function archive must pass, run on its unpacked contents.
///
/// Layout: `bootstrap` (static), `bin/NAME`, `lib/` (every shared library in the closure, the C
/// library and the dynamic loader), libvips' modules where libvips looks for them (ImageProcessor only) and
/// `certs/ca-certificates.crt`.
public enum ArchiveInspector {
    /// Inspects the unpacked archive at `root`.
    /// - Throws: ``PackagingError`` only when the folder can't be read; problems go in the report.
    public static func inspect(_ root: URL, function: FunctionPackage, limits: ArchiveLimits) async throws
        -> ArchiveReport
    {
        var report = ArchiveReport(function: function.name)
        let files = try regularFiles(under: root)
        report.files = files.count
        report.unpackedBytes = files.reduce(0) { $0 + $1.size }
        if report.unpackedBytes > limits.maximumUnpackedBytes {
            report.errors.append(
                "unpacked size \(megabytes(report.unpackedBytes)) is over Lambda's limit of "
                    + "\(megabytes(limits.maximumUnpackedBytes)) (\(limits.maximumUnpackedBytes) bytes)")
        }
        let libraryNames = Set(
            files.filter { $0.path.hasPrefix("lib/") && !$0.path.dropFirst(4).contains("/") }
                .map { String($0.path.dropFirst(4)) })
        var elves: [(path: String, file: ELFFile)] = []
        for entry in files where ELFFile.isELF(root.appendingPathComponent(entry.path)) {
            elves.append((entry.path, try await ELFFile(contentsOf: root.appendingPathComponent(entry.path))))
        }
        let byPath = Dictionary(elves.map { ($0.path, $0.file) }) { first, _ in first }

        checkEntryPoints(byPath, function: function, libraries: libraryNames, into: &report)
        for (path, file) in elves.sorted(by: { $0.path < $1.path }) {
            for needed in file.needed where !libraryNames.contains(needed) {
                report.errors.append("\(path) needs \(needed), which is not in the archive's lib/")
            }
        }
        let machines = Set(elves.map(\.file.machine))
        report.machine = machines.sorted().joined(separator: ", ")
        if machines.count > 1 {
            report.errors.append("the archive mixes architectures: \(report.machine)")
        }
        checkCLibrary(elves, byPath: byPath, into: &report)
        checkLibraries(files.map(\.path), function: function, into: &report)
        checkCertificates(root, into: &report)
        checkPermissions(files, function: function, into: &report)
        return report
    }

    /// Lambda runs the function as an unprivileged user, not as the archive's owner: every file
    /// must be readable by others, and the programs executable by them.
    private static func checkPermissions(
        _ files: [ArchiveFile], function: FunctionPackage, into report: inout ArchiveReport
    ) {
        let programs = Set(["bootstrap", "bin/\(function.name)"])
        for (path, _, mode) in files {
            let isLoader = path.hasPrefix("lib/ld-")
            if mode & 0o004 == 0 {
                report.errors.append(
                    "\(path) is not readable by others (mode \(String(mode, radix: 8))): Lambda's user can't load it")
            } else if (programs.contains(path) || isLoader) && mode & 0o001 == 0 {
                report.errors.append(
                    "\(path) is not executable by others (mode \(String(mode, radix: 8))): Lambda's user can't run it")
            }
        }
    }

    private static func checkEntryPoints(
        _ files: [String: ELFFile], function: FunctionPackage, libraries: Set<String>, into report: inout ArchiveReport
    ) {
        if let bootstrap = files["bootstrap"] {
            if bootstrap.isDynamic {
                report.errors.append(
                    "bootstrap is dynamically linked: it must be static, as it runs before the bundled loader")
            }
        } else {
            report.errors.append("bootstrap is missing or not an executable: Lambda starts the function with it")
        }
        guard let binary = files["bin/\(function.name)"] else {
            report.errors.append("bin/\(function.name) is missing: the archive has no function binary")
            return
        }
        guard let interpreter = binary.interpreter else {
            report.errors.append("bin/\(function.name) names no dynamic loader")
            return
        }
        let loader = URL(fileURLWithPath: interpreter).lastPathComponent
        if !libraries.contains(loader) {
            report.errors.append("lib/\(loader), the dynamic loader bin/\(function.name) needs, is missing")
        }
    }

    private static func checkCLibrary(
        _ elves: [(path: String, file: ELFFile)], byPath: [String: ELFFile], into report: inout ArchiveReport
    ) {
        report.glibcRequired = elves.compactMap(\.file.requiredGlibc).max()
        report.glibcBundled = byPath["lib/libc.so.6"]?.definedGlibc
        guard let required = report.glibcRequired else { return }
        guard let bundled = report.glibcBundled else {
            report.errors.append(
                "lib/libc.so.6 is missing: files need glibc \(required) and Amazon Linux 2023 has 2.34")
            return
        }
        if bundled < required {
            report.errors.append("the bundled C library is glibc \(bundled), but files need \(required)")
        }
    }

    private static func checkLibraries(_ paths: [String], function: FunctionPackage, into report: inout ArchiveReport) {
        let libvips = paths.filter { $0.hasPrefix("lib/libvips") || $0.contains("vips-modules") }
        if !function.allowsLibvips, !libvips.isEmpty {
            report.errors.append(
                "\(function.name) must not carry libvips, but has \(libvips.sorted().joined(separator: ", "))")
        }
        for module in function.libvipsModules where !paths.contains(where: { $0.hasSuffix("/vips-\(module).so") }) {
            report.errors.append("the libvips module vips-\(module).so is missing from the archive")
        }
        let refused = paths.filter { path in
            function.refusedLibraries.contains { path.hasPrefix("lib/\($0)") }
        }
        if !refused.isEmpty {
            report.errors.append(
                "\(function.name) must not carry \(function.refusedLibraries.joined(separator: " or ")), but has "
                    + refused.sorted().joined(separator: ", "))
        }
    }

    private static func checkCertificates(_ root: URL, into report: inout ArchiveReport) {
        let bundle = root.appendingPathComponent("certs/ca-certificates.crt")
        guard let text = try? String(contentsOf: bundle, encoding: .utf8), text.contains("-----BEGIN CERTIFICATE-----")
        else {
            report.errors.append("certs/ca-certificates.crt is missing or holds no certificate: HTTPS could not verify")
            return
        }
    }

    /// Every regular file under `root`, by relative path, with its size.
    static func regularFiles(under root: URL) throws -> [ArchiveFile] {
        let base = root.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: base) else {
            throw PackagingError("cannot read \(base)")
        }
        var files: [ArchiveFile] = []
        while let relative = walker.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: base + "/" + relative)
            guard attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            files.append(
                (
                    relative, (attributes[.size] as? NSNumber)?.int64Value ?? 0,
                    (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
                ))
        }
        return files.sorted { $0.path < $1.path }
    }

    /// A regular file in an archive: its relative path, size and permission bits.
    typealias ArchiveFile = (path: String, size: Int64, mode: Int)
}

/// `181.2 MiB`: Lambda's "250 MB" and "50 MB" are 250 and 50 MiB.
func megabytes(_ bytes: Int64) -> String {
    String(format: "%.1f MiB", Double(bytes) / 1_048_576)
}
