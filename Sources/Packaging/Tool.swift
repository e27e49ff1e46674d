import Foundation
import Processes

/// Runs the command-line tools packaging relies on (`ldd`, `readelf`, `strip`, `cc`, `zip`),
/// through the one ``ProcessRunner``.
enum Tool {
    /// Runs `program` (looked up on `PATH`) with `arguments` to the end, at most 10 minutes.
    /// - Throws: ``PackagingError`` when the program can't be started or is not installed.
    static func run(_ program: String, _ arguments: [String], in directory: URL? = nil) async throws -> ProcessOutcome {
        do {
            return try await ProcessRunner.run(
                ProcessCommand(program, arguments, workingDirectory: directory?.path), timeout: .seconds(600))
        } catch {
            throw PackagingError(
                "cannot run \(program) (Debian: binutils, zip, libc-bin, gcc provide the tools): \(error)")
        }
    }

    /// Runs `program` and returns its standard output.
    /// - Throws: ``PackagingError`` with the tool's own message when it fails.
    static func output(_ program: String, _ arguments: [String], in directory: URL? = nil) async throws -> String {
        let output = try await run(program, arguments, in: directory)
        guard output.status == 0 else {
            let message = output.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            throw PackagingError(
                "\(program) \(arguments.joined(separator: " ")) failed (status \(output.status)): \(message)")
        }
        return output.stdout
    }
}
