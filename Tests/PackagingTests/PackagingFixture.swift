import Foundation
import TestSupport

@testable import Packaging

/// A scratch folder with a tiny C program built as a function binary (`Hello`, which needs
/// `libm` for `hypot`), and a packager configured to archive it there.
struct PackagingFixture {
    let root: URL
    let binaries: URL
    let output: URL
    var configuration: LambdaPackager.Configuration

    static let hello = FunctionPackage(name: "Hello")

    init(source: String = Self.helloSource, linking libraries: [String] = ["-lm"]) async throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("packaging-\(UUID().uuidString)")
        binaries = root.appendingPathComponent("binaries")
        output = root.appendingPathComponent("dist")
        try FileManager.default.createDirectory(at: binaries, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let file = root.appendingPathComponent("hello.c")
        try Data(source.utf8).write(to: file)
        try await Self.run("cc", ["-O0", "-o", binaries.appendingPathComponent("Hello").path, file.path] + libraries)
        configuration = LambdaPackager.Configuration(
            binaries: binaries, output: output,
            certificateBundle: URL(fileURLWithPath: "/etc/ssl/certs/ca-certificates.crt"),
            launcherSource: TestEnvironment.file("infrastructure/lambda/bootstrap.c"))
    }

    /// Prints `hello 5 bundle` when started with one argument through the launcher.
    static let helloSource = """
        #include <math.h>
        #include <stdio.h>
        #include <stdlib.h>
        int main(int argc, char **argv) {
            (void)argv;
            printf("hello %.0f %s\\n", hypot(3, argc + 2), getenv("COLLECTIONS_CA_BUNDLE") ? "bundle" : "none");
            return 0;
        }
        """

    var staging: URL { output.appendingPathComponent("Hello") }
    var archive: URL { output.appendingPathComponent("Hello.zip") }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    /// Runs a program to the end and returns its standard output.
    /// - Throws: ``PackagingError`` with the program's message when it fails.
    @discardableResult
    static func run(_ program: String, _ arguments: [String]) async throws -> String {
        try await Tool.output(program, arguments)
    }
}
