import ArgumentParser
import Foundation
import Packaging

/// `lambda-package`: one self-contained `provided.al2023` zip per function, checked.
@main
struct LambdaPackageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lambda-package",
        abstract: "Zip each function with its libraries, C library, loader and certificates, and check the archives.",
        discussion: "scripts/package builds the release binaries and runs this.")

    @Option(help: "The folder holding the release binaries.")
    var binaries = ".build-static/release"

    @Option(help: "Where to write the archives.")
    var output = "dist/lambda"

    @Option(help: "The PEM bundle of certificate authorities to ship (add your database's CA here).")
    var caBundle = "/etc/ssl/certs/ca-certificates.crt"

    @Option(help: "The launcher's C source.")
    var launcher = "infrastructure/lambda/bootstrap.c"

    @Option(name: .customLong("function"), help: "Package only this function (repeatable).")
    var functions: [String] = []

    @Flag(help: "Keep the binaries' symbols.")
    var noStrip = false

    mutating func run() async throws {
        let selected = try selectedFunctions()
        var configuration = LambdaPackager.Configuration(
            binaries: URL(fileURLWithPath: binaries), output: URL(fileURLWithPath: output),
            certificateBundle: URL(fileURLWithPath: caBundle), launcherSource: URL(fileURLWithPath: launcher))
        configuration.strip = !noStrip
        try FileManager.default.createDirectory(at: configuration.output, withIntermediateDirectories: true)
        let packager = LambdaPackager(configuration: configuration)
        var reports: [ArchiveReport] = []
        for function in selected {
            print("packaging \(function.name)...")
            reports.append(try await packager.package(function))
        }
        print(ReportTable.render(reports, output: output))
        if reports.contains(where: { !$0.errors.isEmpty }) { throw ExitCode.failure }
    }

    private func selectedFunctions() throws -> [FunctionPackage] {
        guard !functions.isEmpty else { return FunctionPackage.pipeline }
        return try functions.map { name in
            guard let function = FunctionPackage.pipeline.first(where: { $0.name == name }) else {
                let known = FunctionPackage.pipeline.map(\.name).joined(separator: ", ")
                throw ValidationError("unknown function \(name) (known: \(known))")
            }
            return function
        }
    }
}
