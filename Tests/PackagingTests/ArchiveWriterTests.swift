import Foundation
import TestSupport
import Testing

@testable import Packaging

/// ZIPFoundation keeps what Lambda needs: execute bits, read-only modes and symbolic links, as
/// Info-ZIP's `unzip` (what Lambda's unpacking behaves like) restores them.
@Suite struct ArchiveWriterTests {
    @Test func modesAndLinksSurviveTheArchive() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let staging = root.appendingPathComponent("staging")
        let files = FileManager.default
        try files.createDirectory(at: staging.appendingPathComponent("lib"), withIntermediateDirectories: true)
        try Data("#!/bin/sh\necho hi\n".utf8).write(to: staging.appendingPathComponent("bootstrap"))
        try files.setAttributes(
            [.posixPermissions: 0o755], ofItemAtPath: staging.appendingPathComponent("bootstrap").path)
        try Data("data".utf8).write(to: staging.appendingPathComponent("lib/libx.so.1.2"))
        try files.setAttributes(
            [.posixPermissions: 0o644], ofItemAtPath: staging.appendingPathComponent("lib/libx.so.1.2").path)
        try files.createSymbolicLink(
            atPath: staging.appendingPathComponent("lib/libx.so.1").path, withDestinationPath: "libx.so.1.2")

        let archive = root.appendingPathComponent("function.zip")
        try ArchiveWriter.zip(contentsOf: staging, to: archive)
        let unpacked = root.appendingPathComponent("unpacked")
        try files.createDirectory(at: unpacked, withIntermediateDirectories: true)
        try await PackagingFixture.run("unzip", ["-q", archive.path, "-d", unpacked.path])

        func mode(_ path: String) throws -> Int {
            (try files.attributesOfItem(atPath: unpacked.appendingPathComponent(path).path)[.posixPermissions]
                as? NSNumber)?.intValue ?? -1
        }
        #expect(try mode("bootstrap") == 0o755)
        #expect(try mode("lib/libx.so.1.2") == 0o644)
        let link = unpacked.appendingPathComponent("lib/libx.so.1").path
        #expect(try files.destinationOfSymbolicLink(atPath: link) == "libx.so.1.2")
        #expect(try await PackagingFixture.run(unpacked.appendingPathComponent("bootstrap").path, []) == "hi\n")
        let listing = try await PackagingFixture.run("unzip", ["-Z", "-1", archive.path])
        #expect(Set(listing.split(separator: "\n")).isSuperset(of: ["bootstrap", "lib/libx.so.1.2", "lib/libx.so.1"]))
    }
}
