import Foundation
import Packaging
import TestSupport

/// A scratch folder with a tiny C program built as a function binary (`Hello`, which needs
/// `libm` for `hypot`), and a packager configured to archive it there.
struct PackagingFixture {
    let root: URL
    let binaries: URL
    let output: URL
    var configuration: LambdaPackager.Configuration

    static let hello = FunctionPackage(name: "Hello")

    init(source: String = Self.helloSource, linking libraries: [String] = ["-lm"]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("packaging-\(UUID().uuidString)")
        binaries = root.appendingPathComponent("binaries")
        output = root.appendingPathComponent("dist")
        try FileManager.default.createDirectory(at: binaries, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let file = root.appendingPathComponent("hello.c")
        try Data(source.utf8).write(to: file)
        try Self.run("cc", ["-O0", "-o", binaries.appendingPathComponent("Hello").path, file.path] + libraries)
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

    /// Runs a program to the end; throws with its output when it fails.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], in directory: URL? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        if let directory { process.currentDirectoryURL = directory }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = process.standardOutput
        try process.run()
        process.waitUntilExit()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw TestSetupError("\(program) \(arguments.joined(separator: " ")) failed: \(text)")
        }
        return text
    }
}
