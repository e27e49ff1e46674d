import Foundation
import Processes

@testable import TestSupport

/// A stack for `collections deploy` on moto: its names, three tiny archives, a working folder for
/// the choices file, and the binary run there with moto's variables and the secrets.
struct DeployFixture {
    let moto: MotoServer
    let stack: String
    let bucket: String
    let archives: URL
    let workingDirectory: URL
    let secrets = [
        "ANTHROPIC_API_KEY": "sk-ant-deploy-test-\(UUID().uuidString)",
        "VOYAGE_API_KEY": "pa-deploy-test-\(UUID().uuidString)",
    ]

    /// - Parameter verifying: on the server that checks every signature; the open one for a test
    ///   that reads Lambda functions back, which moto's signature check refuses even from the
    ///   `aws` CLI.
    init(_ prefix: String, verifying: Bool = true) throws {
        moto = try verifying ? MotoServer.requireVerifying() : MotoServer.requireOpen()
        stack = MotoServer.uniqueName(prefix)
        bucket = "\(stack)-artifacts"
        workingDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(stack)
        archives = workingDirectory.appendingPathComponent("archives")
        try FileManager.default.createDirectory(at: archives, withIntermediateDirectories: true)
        for function in ["ImageProcessor", "Analyzer", "Embedder"] { try writeArchive(function, comment: function) }
    }

    /// An empty zip (its end-of-central-directory record alone) whose comment makes its bytes differ.
    func writeArchive(_ function: String, comment: String) throws {
        let text = Array(comment.utf8)
        let record =
            [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 16)
            + [UInt8(text.count & 0xFF), UInt8(text.count >> 8)] + text
        try Data(record).write(to: archives.appendingPathComponent("\(function).zip"))
    }

    /// Parameters that keep this stack's names apart from other tests' on the shared moto.
    var uniqueParameters: [String] {
        [
            "EventBusName=\(stack)-bus", "DatabaseUrlParameterName=/\(stack)/database-url",
            "AnthropicApiKeyParameterName=/\(stack)/anthropic-api-key",
            "VoyageApiKeyParameterName=/\(stack)/voyage-api-key",
        ].flatMap { ["--parameter", $0] }
    }

    /// Runs `collections ARGUMENTS` in the working folder.
    func collections(_ arguments: [String], environment extra: [String: String] = [:]) async throws
        -> Products.Outcome
    {
        let inherited = ProcessInfo.processInfo.environment.filter { ["PATH", "HOME", "LANG"].contains($0.key) }
        let out = workingDirectory.appendingPathComponent("stdout-\(UUID().uuidString)")
        let err = workingDirectory.appendingPathComponent("stderr-\(UUID().uuidString)")
        let outcome = try await ProcessRunner.run(
            ProcessCommand(
                try Products.path("collections").path,
                arguments + ["--template", TestEnvironment.file("infrastructure/template.yaml").path],
                environment: inherited.merging(moto.environment) { $1 }.merging(extra) { $1 },
                workingDirectory: workingDirectory.path, output: .appendToFiles(stdout: out.path, stderr: err.path)),
            timeout: .seconds(180))
        return Products.Outcome(
            status: outcome.status, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// `collections ARGUMENTS` on a pseudo-terminal (scripts/lib/terminal_session.py), typing each
    /// answer once its prompt shows.
    /// - Returns: the exit status and everything the terminal showed (echoed input included).
    func collectionsOnTerminal(
        _ arguments: [String], environment extra: [String: String] = [:], answers: [(prompt: String, typed: String)]
    ) async throws -> (status: Int, output: String) {
        guard let python = TestEnvironment.python else { throw TestSetupError("COLLECTIONS_TEST_PYTHON is not set") }
        let inherited = ProcessInfo.processInfo.environment.filter { ["PATH", "HOME", "LANG"].contains($0.key) }
        let script: [String: Any] = [
            "command": [try Products.path("collections").path] + arguments
                + ["--template", TestEnvironment.file("infrastructure/template.yaml").path],
            "env": inherited.merging(moto.environment) { $1 }.merging(extra) { $1 },
            "cwd": workingDirectory.path, "answers": answers.map { [$0.prompt, $0.typed] }, "timeout": 120,
        ]
        let file = workingDirectory.appendingPathComponent("terminal-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: script).write(to: file)
        let outcome = try await ProcessRunner.run(
            ProcessCommand(python, [TestEnvironment.file("scripts/lib/terminal_session.py").path, file.path]),
            timeout: .seconds(150))
        let result = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any] ?? [:]
        return (result["status"] as? Int ?? -1, result["output"] as? String ?? outcome.stderr)
    }

    /// `aws ARGUMENTS --output json`, decoded.
    func aws(_ arguments: [String]) async throws -> [String: Any] {
        let outcome = try await moto.aws(arguments)
        guard outcome.status == 0 else {
            throw TestSetupError("aws \(arguments.joined(separator: " ")): \(outcome.stderr)")
        }
        return (try? JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    /// Whether the stack exists (in any state but DELETE_COMPLETE).
    func stackExists() async throws -> Bool {
        let outcome = try await moto.aws(["cloudformation", "describe-stacks", "--stack-name", stack])
        guard outcome.status == 0 else { return false }
        return !outcome.stdout.contains("DELETE_COMPLETE")
    }

    /// The choices file's text, if written.
    var choicesFile: String? {
        try? String(contentsOf: workingDirectory.appendingPathComponent("collections-deploy.json"), encoding: .utf8)
    }

    /// Removes what the test made.
    func cleanUp() async {
        _ = try? await moto.aws(["cloudformation", "delete-stack", "--stack-name", stack])
        _ = try? await moto.aws(["s3", "rb", "s3://\(bucket)", "--force"])
        try? FileManager.default.removeItem(at: workingDirectory)
    }
}
