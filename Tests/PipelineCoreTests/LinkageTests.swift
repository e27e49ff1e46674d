import Foundation
import Processes
import TestSupport
import Testing

/// Analyzer and Embedder must neither link nor load libvips: only ImageProcessor decodes images.
@Suite struct LinkageTests {
    private func linkedLibraries(_ executable: String) async throws -> String {
        let binary = try Products.path(executable)
        return try await ProcessRunner.run(ProcessCommand("/usr/bin/ldd", [binary.path])).stdout
    }

    @Test(arguments: ["Analyzer", "Embedder"])
    func doesNotLinkLibvips(executable: String) async throws {
        let libraries = try await linkedLibraries(executable)
        #expect(libraries.contains("libc.so"), "ldd printed: \(libraries)")
        #expect(!libraries.contains("libvips"))
    }

    @Test func imageProcessorDoes() async throws {
        #expect(try await linkedLibraries("ImageProcessor").contains("libvips.so"))
    }
}
