import Foundation
import Testing
import ZIPFoundation

@testable import Deploy

/// deploy passes the archives' own architecture to the template, read from each binary's ELF
/// header, and refuses archives that disagree, or a parameter that contradicts them.
@Suite struct ArchiveArchitectureTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arch-\(UUID().uuidString)")

    /// A zip holding `bin/<function>`: an ELF header for `machine` (little-endian), or no binary.
    func write(_ function: String, machine: UInt16?) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let zip = folder.appendingPathComponent("\(function).zip")
        try? FileManager.default.removeItem(at: zip)
        let archive = try Archive(url: zip, accessMode: .create)
        var bytes = [UInt8](repeating: 0, count: 4096)
        if let machine {
            bytes.replaceSubrange(0..<6, with: [0x7F, 0x45, 0x4C, 0x46, 2, 1])
            bytes[18] = UInt8(machine & 0xFF)
            bytes[19] = UInt8(machine >> 8)
        }
        let data = Data(bytes)
        try archive.addEntry(
            with: machine == nil ? "bootstrap" : "bin/\(function)", type: .file, uncompressedSize: Int64(data.count),
            compressionMethod: .deflate
        ) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
    }

    @Test func theArchivesArchitectureIsRead() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        for function in Artifacts.functions { try write(function, machine: 183) }
        #expect(try Artifacts(directory: folder).architecture() == "arm64")
        for function in Artifacts.functions { try write(function, machine: 62) }
        #expect(try Artifacts(directory: folder).architecture() == "x86_64")
    }

    @Test func archivesThatDisagreeAreRefused() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try write("ImageProcessor", machine: 62)
        try write("Analyzer", machine: 183)
        try write("Embedder", machine: 62)
        #expect(throws: DeployError.self) { try Artifacts(directory: folder).architecture() }
    }

    @Test func aMachineLambdaDoesNotRunIsRefusedAndNoBinaryIsUnknown() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        for function in Artifacts.functions { try write(function, machine: nil) }
        #expect(try Artifacts(directory: folder).architecture() == nil)
        try write("Analyzer", machine: 40)  // EM_ARM, 32-bit
        #expect(throws: DeployError.self) { try Artifacts(directory: folder).architecture() }
    }
}
