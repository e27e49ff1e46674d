import Foundation

/// Builds one self-contained `provided.al2023` archive per function from release binaries.
///
/// Amazon Linux 2023 has glibc 2.34 and the binaries here need newer, so each archive carries
/// the closure of its shared libraries together with the C library and dynamic loader they were
/// built against, and a static `bootstrap` that starts the binary through that loader.
public struct LambdaPackager: Sendable {
    /// Where things come from and go.
    public struct Configuration: Sendable {
        /// The folder holding the release binaries (`.build-static/release`).
        public var binaries: URL
        /// Where archives (`NAME.zip`) and their unpacked staging folders go.
        public var output: URL
        /// The PEM bundle of certificate authorities to ship.
        public var certificateBundle: URL
        /// The launcher's C source (`infrastructure/lambda/bootstrap.c`).
        public var launcherSource: URL
        /// Lambda's size limits.
        public var limits: ArchiveLimits = .lambda
        /// Whether to strip symbols from the function binary.
        public var strip = true

        /// Creates a configuration.
        public init(binaries: URL, output: URL, certificateBundle: URL, launcherSource: URL) {
            self.binaries = binaries
            self.output = output
            self.certificateBundle = certificateBundle
            self.launcherSource = launcherSource
        }
    }

    /// The configuration.
    public var configuration: Configuration

    /// Creates a packager.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Stages, checks and zips one function. An archive that fails a check is not written, and
    /// any earlier archive of that function is removed.
    /// - Returns: the checks' report, with the zip's size when it was written.
    /// - Throws: ``PackagingError`` when a step can't run (a missing binary, a failing tool).
    public func package(_ function: FunctionPackage) async throws -> ArchiveReport {
        let staging = try await stage(function)
        var report = try await ArchiveInspector.inspect(staging, function: function, limits: configuration.limits)
        let archive = configuration.output.appendingPathComponent("\(function.name).zip")
        try? FileManager.default.removeItem(at: archive)
        guard report.errors.isEmpty else { return report }
        try await zip(staging, to: archive)
        let size = try FileManager.default.attributesOfItem(atPath: archive.path)[.size] as? NSNumber
        report.zippedBytes = size?.int64Value
        if let zipped = report.zippedBytes, zipped > configuration.limits.directUploadBytes {
            report.warnings.append(
                "the zip is \(megabytes(zipped)), over the \(megabytes(configuration.limits.directUploadBytes)) "
                    + "Lambda takes in a direct upload: deploy it from S3 (the template does)")
        }
        return report
    }

    /// Fills `output/NAME/` with what the archive will hold.
    func stage(_ function: FunctionPackage) async throws -> URL {
        let files = FileManager.default
        let binary = configuration.binaries.appendingPathComponent(function.name)
        guard files.isExecutableFile(atPath: binary.path) else {
            throw PackagingError("\(binary.path) is not built (swift build -c release --static-swift-stdlib)")
        }
        let staging = configuration.output.appendingPathComponent(function.name)
        try? files.removeItem(at: staging)
        let bin = staging.appendingPathComponent("bin")
        let lib = staging.appendingPathComponent("lib")
        let certs = staging.appendingPathComponent("certs")
        for folder in [bin, lib, certs] { try files.createDirectory(at: folder, withIntermediateDirectories: true) }

        let program = bin.appendingPathComponent(function.name)
        if configuration.strip {
            _ = try await Tool.output("strip", ["--strip-all", "-o", program.path, binary.path])
        } else {
            try files.copyItem(at: binary, to: program)
        }
        var closure = try await LibraryClosure.resolve([binary])
        let modules = try libvipsModules(function, closure: closure)
        if !modules.isEmpty {
            let resolved = try await LibraryClosure.resolve(modules.map(\.source))
            closure.libraries.merge(resolved.libraries) { first, _ in first }
        }
        for (name, source) in closure.libraries {
            try copy(source, to: lib.appendingPathComponent(name))
        }
        for module in modules {
            try files.createDirectory(
                at: staging.appendingPathComponent(module.folder), withIntermediateDirectories: true)
            try copy(
                module.source,
                to: staging.appendingPathComponent("\(module.folder)/\(module.source.lastPathComponent)"))
        }
        guard let loader = closure.loader else {
            throw PackagingError("\(function.name) names no dynamic loader: is it a dynamically linked program?")
        }
        try copy(loader, to: lib.appendingPathComponent(loader.lastPathComponent))
        try copy(configuration.certificateBundle, to: certs.appendingPathComponent("ca-certificates.crt"), mode: 0o644)
        try await compileLauncher(
            program: "bin/\(function.name)", loader: "lib/\(loader.lastPathComponent)",
            to: staging.appendingPathComponent("bootstrap"))
        return staging
    }

    /// The modules `function` ships, found beside the libvips it links, each with the folder it
    /// goes in. Told `VIPSHOME=DIR`, libvips looks for modules in `DIR/B/vips-modules-X.Y`, where
    /// B is the last component of the folder it was built to load from (`x86_64-linux-gnu` on
    /// Debian); the bootstrap sets `VIPSHOME` to the archive's `lib`.
    private func libvipsModules(_ function: FunctionPackage, closure: LibraryClosure) throws -> [(
        source: URL, folder: String
    )] {
        guard !function.libvipsModules.isEmpty else { return [] }
        guard let libvips = closure.libraries.first(where: { $0.key.hasPrefix("libvips.so") })?.value else {
            throw PackagingError("\(function.name) should ship libvips modules but does not link libvips")
        }
        let directory = libvips.resolvingSymlinksInPath().deletingLastPathComponent()
        let folders = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("vips-modules-") }
        guard let name = folders.sorted().last else {
            throw PackagingError("no vips-modules-* folder beside \(libvips.path)")
        }
        let folder = "lib/\(directory.lastPathComponent)/\(name)"
        return try function.libvipsModules.map { module in
            let source = directory.appendingPathComponent("\(name)/vips-\(module).so")
            guard FileManager.default.fileExists(atPath: source.path) else {
                throw PackagingError("the libvips module \(source.path) is not installed")
            }
            return (source, folder)
        }
    }

    /// Copies the file a path resolves to (never a symbolic link), readable by Lambda's user.
    private func copy(_ source: URL, to destination: URL, mode: Int = 0o755) throws {
        try? FileManager.default.removeItem(at: destination)
        try FileManager.default.copyItem(at: source.resolvingSymlinksInPath(), to: destination)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: destination.path)
    }

    private func compileLauncher(program: String, loader: String, to destination: URL) async throws {
        var compiler = "cc"
        for candidate in ["cc", "gcc", "clang"] {
            guard (try? await Tool.run("which", [candidate]).status) == 0 else { continue }
            compiler = candidate
            break
        }
        _ = try await Tool.output(
            compiler,
            [
                "-static", "-Os", "-s", "-Wall", "-Wextra", "-Werror",
                "-DCOLLECTIONS_PROGRAM=\"\(program)\"", "-DCOLLECTIONS_LOADER=\"\(loader)\"",
                "-o", destination.path, configuration.launcherSource.path,
            ])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: destination.path)
    }

    /// Zips the staging folder's contents to a temporary name, then renames it.
    private func zip(_ staging: URL, to archive: URL) async throws {
        let partial = archive.appendingPathExtension("partial")
        try? FileManager.default.removeItem(at: partial)
        try ArchiveWriter.zip(contentsOf: staging, to: partial)
        try FileManager.default.moveItem(at: partial, to: archive)
    }
}
