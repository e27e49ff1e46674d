import Foundation

/// Runs the command-line tools packaging relies on (`ldd`, `readelf`, `strip`, `cc`, `zip`).
enum Tool {
    /// What a finished tool printed.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `program` (looked up on `PATH`) with `arguments` to the end.
    /// - Throws: ``PackagingError`` when the program can't be started.
    static func run(_ program: String, _ arguments: [String], in directory: URL? = nil) throws -> Output {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("stdout")
        let err = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        do {
            try process.run()
        } catch {
            throw PackagingError("cannot run \(program): \(error)")
        }
        process.waitUntilExit()
        let output = Output(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
        if output.status == 127, output.stderr.contains("No such file") {
            throw PackagingError("\(program) is not installed (Debian: binutils, zip, libc-bin, gcc)")
        }
        return output
    }

    /// Runs `program` and returns its standard output.
    /// - Throws: ``PackagingError`` with the tool's own message when it fails.
    static func output(_ program: String, _ arguments: [String], in directory: URL? = nil) throws -> String {
        let output = try run(program, arguments, in: directory)
        guard output.status == 0 else {
            let message = output.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            throw PackagingError(
                "\(program) \(arguments.joined(separator: " ")) failed (status \(output.status)): \(message)")
        }
        return output.stdout
    }
}
