import Foundation
import Packaging
import TestSupport
import Testing

/// The checks an archive must pass, each shown to fail on an archive that breaks it.
@Suite struct ArchiveChecksTests {
    @Test func aSelfContainedArchiveRunsThroughItsBootstrap() async throws {
        let fixture = try await PackagingFixture()
        defer { fixture.remove() }
        let report = try await LambdaPackager(configuration: fixture.configuration).package(PackagingFixture.hello)
        #expect(report.errors == [])
        #expect(report.architecture == "x86_64" || report.architecture == "arm64")
        #expect(report.glibcBundled != nil && report.glibcBundled! >= report.glibcRequired!)
        #expect(report.zippedBytes ?? 0 > 0 && FileManager.default.fileExists(atPath: fixture.archive.path))

        let unpacked = fixture.root.appendingPathComponent("unpacked")
        try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
        try await PackagingFixture.run("unzip", ["-q", fixture.archive.path, "-d", unpacked.path])
        let files = Set(
            try FileManager.default.contentsOfDirectory(atPath: unpacked.appendingPathComponent("lib").path))
        #expect(files.isSuperset(of: ["libc.so.6", "libm.so.6"]))
        #expect(files.contains { $0.hasPrefix("ld-linux") })
        // The launcher starts the binary through the bundled loader and names the bundled certificates.
        let printed = try await PackagingFixture.run(unpacked.appendingPathComponent("bootstrap").path, ["one"])
        #expect(printed == "hello 5 bundle\n")
    }

    @Test func anArchiveOverTheUnpackedLimitIsRefusedAndNotWritten() async throws {
        var fixture = try await PackagingFixture()
        defer { fixture.remove() }
        _ = try await LambdaPackager(configuration: fixture.configuration).package(PackagingFixture.hello)
        #expect(FileManager.default.fileExists(atPath: fixture.archive.path))
        fixture.configuration.limits = ArchiveLimits(maximumUnpackedBytes: 1_000_000, directUploadBytes: 52_428_800)
        let report = try await LambdaPackager(configuration: fixture.configuration).package(PackagingFixture.hello)
        #expect(report.errors.count == 1)
        #expect(report.errors.first?.contains("over Lambda's limit of 1.0 MiB (1000000 bytes)") == true)
        #expect(report.zippedBytes == nil)
        #expect(!FileManager.default.fileExists(atPath: fixture.archive.path), "the earlier archive must go too")
        #expect(ArchiveLimits.lambda.maximumUnpackedBytes == 262_144_000)
    }

    @Test func aZipOverTheDirectUploadLimitIsAWarning() async throws {
        var fixture = try await PackagingFixture()
        defer { fixture.remove() }
        fixture.configuration.limits = ArchiveLimits(maximumUnpackedBytes: 262_144_000, directUploadBytes: 1000)
        let report = try await LambdaPackager(configuration: fixture.configuration).package(PackagingFixture.hello)
        #expect(report.errors == [])
        #expect(report.warnings.count == 1 && report.warnings[0].contains("deploy it from S3"))
        #expect(FileManager.default.fileExists(atPath: fixture.archive.path))
    }

    @Test func aLibraryMissingFromTheClosureIsReported() async throws {
        let fixture = try await PackagingFixture()
        defer { fixture.remove() }
        _ = try await LambdaPackager(configuration: fixture.configuration).package(PackagingFixture.hello)
        try FileManager.default.removeItem(at: fixture.staging.appendingPathComponent("lib/libm.so.6"))
        let report = try await ArchiveInspector.inspect(
            fixture.staging, function: PackagingFixture.hello, limits: .lambda)
        #expect(report.errors == ["bin/Hello needs libm.so.6, which is not in the archive's lib/"])
    }

    @Test func aMissingLoaderCLibraryBootstrapOrCertificateBundleIsReported() async throws {
        let fixture = try await PackagingFixture()
        defer { fixture.remove() }
        _ = try await LambdaPackager(configuration: fixture.configuration).package(PackagingFixture.hello)
        let lib = fixture.staging.appendingPathComponent("lib")
        let loader = try #require(
            try FileManager.default.contentsOfDirectory(atPath: lib.path).first { $0.hasPrefix("ld-") })
        try FileManager.default.removeItem(at: lib.appendingPathComponent(loader))
        try FileManager.default.removeItem(at: lib.appendingPathComponent("libc.so.6"))
        try FileManager.default.removeItem(at: fixture.staging.appendingPathComponent("certs/ca-certificates.crt"))
        // A dynamically linked bootstrap would need the loader it is there to choose.
        try FileManager.default.removeItem(at: fixture.staging.appendingPathComponent("bootstrap"))
        try FileManager.default.copyItem(
            at: fixture.binaries.appendingPathComponent("Hello"),
            to: fixture.staging.appendingPathComponent("bootstrap"))
        let errors = try await ArchiveInspector.inspect(
            fixture.staging, function: PackagingFixture.hello, limits: .lambda
        )
        .errors.joined(separator: "\n")
        #expect(errors.contains("lib/\(loader), the dynamic loader bin/Hello needs, is missing"))
        #expect(errors.contains("lib/libc.so.6 is missing"))
        #expect(errors.contains("certs/ca-certificates.crt is missing"))
        #expect(errors.contains("bootstrap is dynamically linked"))
    }

    @Test func filesLambdasUserCannotReadOrRunAreReported() async throws {
        let fixture = try await PackagingFixture()
        defer { fixture.remove() }
        _ = try await LambdaPackager(configuration: fixture.configuration).package(PackagingFixture.hello)
        let staging = fixture.staging.path
        try FileManager.default.setAttributes([.posixPermissions: 0o744], ofItemAtPath: staging + "/bootstrap")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: staging + "/lib/libm.so.6")
        let report = try await ArchiveInspector.inspect(
            fixture.staging, function: PackagingFixture.hello, limits: .lambda)
        #expect(
            report.errors == [
                "bootstrap is not executable by others (mode 744): Lambda's user can't run it",
                "lib/libm.so.6 is not readable by others (mode 640): Lambda's user can't load it",
            ])
    }

    @Test func libvipsIsRefusedInAFunctionThatMustNotCarryIt() async throws {
        let fixture = try await PackagingFixture()
        defer { fixture.remove() }
        _ = try await LambdaPackager(configuration: fixture.configuration).package(PackagingFixture.hello)
        let lib = fixture.staging.appendingPathComponent("lib")
        try FileManager.default.copyItem(
            at: lib.appendingPathComponent("libm.so.6"), to: lib.appendingPathComponent("libvips.so.42"))
        let report = try await ArchiveInspector.inspect(
            fixture.staging, function: PackagingFixture.hello, limits: .lambda)
        #expect(report.errors == ["Hello must not carry libvips, but has lib/libvips.so.42"])
        let processor = FunctionPackage(name: "Hello", allowsLibvips: true, libvipsModules: ["heif"])
        let modules = try await ArchiveInspector.inspect(fixture.staging, function: processor, limits: .lambda)
        #expect(modules.errors == ["the libvips module vips-heif.so is missing from the archive"])
    }

    @Test func refusedLibrariesAreReported() async throws {
        let fixture = try await PackagingFixture()
        defer { fixture.remove() }
        _ = try await LambdaPackager(configuration: fixture.configuration).package(PackagingFixture.hello)
        let lib = fixture.staging.appendingPathComponent("lib")
        let lean = FunctionPackage(name: "Hello", refusedLibraries: FunctionPackage.foundationXML)
        #expect(try await ArchiveInspector.inspect(fixture.staging, function: lean, limits: .lambda).errors == [])
        for name in ["libicuuc.so.72", "libxml2.so.2"] {
            try FileManager.default.copyItem(
                at: lib.appendingPathComponent("libm.so.6"), to: lib.appendingPathComponent(name))
        }
        let report = try await ArchiveInspector.inspect(fixture.staging, function: lean, limits: .lambda)
        #expect(
            report.errors == ["Hello must not carry libxml2 or libicu, but has lib/libicuuc.so.72, lib/libxml2.so.2"])
        #expect(
            FunctionPackage.pipeline.filter { !$0.refusedLibraries.isEmpty }.map(\.name) == ["Analyzer", "Embedder"])
    }

    @Test func aLibraryTheLoaderCannotFindIsNamed() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let library = scratch.appendingPathComponent("gone.c")
        try Data("int gone(void) { return 7; }\n".utf8).write(to: library)
        try await PackagingFixture.run(
            "cc",
            [
                "-shared", "-fPIC", "-Wl,-soname,libgone.so.1", "-o",
                scratch.appendingPathComponent("libgone.so.1").path, library.path,
            ])
        let program = scratch.appendingPathComponent("main.c")
        try Data("int gone(void);\nint main(void) { return gone(); }\n".utf8).write(to: program)
        let binary = scratch.appendingPathComponent("NeedsGone")
        try await PackagingFixture.run(
            "cc", ["-o", binary.path, program.path, scratch.appendingPathComponent("libgone.so.1").path])
        try FileManager.default.removeItem(at: scratch.appendingPathComponent("libgone.so.1"))
        let error = await #expect(throws: PackagingError.self) { try await LibraryClosure.resolve([binary]) }
        #expect(error?.description.contains("cannot find libgone.so.1 (needed by NeedsGone)") == true)
    }

    @Test func glibcVersionsCompareNumerically() async throws {
        let old = try #require(GlibcVersion(symbolVersion: "GLIBC_2.2.5"))
        let new = try #require(GlibcVersion(symbolVersion: "GLIBC_2.35"))
        #expect(old < new && new.description == "2.35")
        #expect(GlibcVersion(symbolVersion: "GLIBC_PRIVATE") == nil)
        #expect(GlibcVersion(symbolVersion: "GLIBC_ABI_DT_RELR") == nil)
    }
}
