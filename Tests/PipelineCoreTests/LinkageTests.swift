import Foundation
import TestSupport
import Testing

/// Analyzer and Embedder must neither link nor load libvips: only ImageProcessor decodes images.
@Suite struct LinkageTests {
    private func linkedLibraries(_ executable: String) throws -> String {
        let binary = try Products.path(executable)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        process.arguments = [binary.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }

    @Test(arguments: ["Analyzer", "Embedder"])
    func doesNotLinkLibvips(executable: String) throws {
        let libraries = try linkedLibraries(executable)
        #expect(libraries.contains("libc.so"), "ldd printed: \(libraries)")
        #expect(!libraries.contains("libvips"))
    }

    @Test func imageProcessorDoes() throws {
        #expect(try linkedLibraries("ImageProcessor").contains("libvips.so"))
    }
}
