import Foundation
import PipelineCore
import Testing

@testable import TestSupport

/// On a terminal, deploy asks for each missing secret with echo off (the typed value never shows),
/// stores what was typed, and destroy asks for the stack's name before deleting.
@Suite(.enabled(if: MotoServer.enabled, "needs moto (scripts/test)"))
struct DeployOnTerminalTests {
    @Test func secretsAreAskedWithoutEchoAndDestroyAsksForTheName() async throws {
        let fixture = try DeployFixture("deploy-tty", verifying: false)
        defer { Task { await fixture.cleanUp() } }
        _ = try await fixture.aws(["s3api", "create-bucket", "--bucket", fixture.bucket])
        let typed = [
            "database URL": "postgres://tty:\(UUID().uuidString)@db.example:5432/collections",
            "Anthropic API key": "sk-ant-tty-\(UUID().uuidString)",
            "Voyage API key": "pa-tty-\(UUID().uuidString)",
        ]
        let deploy = try await fixture.collectionsOnTerminal(
            ["deploy", "--stack", fixture.stack, "--artifact-bucket", fixture.bucket, "--skip-migrations"]
                + ["--archives", fixture.archives.path] + fixture.uniqueParameters,
            answers: typed.map { (prompt: "\($0.key) for /\(fixture.stack)/", typed: $0.value) }
                .sorted { order($0.prompt) < order($1.prompt) })
        #expect(deploy.status == 0, "\(deploy.output)")
        for (label, value) in typed {
            #expect(deploy.output.contains("\(label) for /\(fixture.stack)/"), "asked for the \(label)")
            #expect(!deploy.output.contains(value), "the \(label) was shown on the terminal")
        }
        for (label, name) in [
            ("database URL", "database-url"), ("Anthropic API key", "anthropic-api-key"),
            ("Voyage API key", "voyage-api-key"),
        ] {
            let parameter =
                try await fixture.aws(
                    ["ssm", "get-parameter", "--name", "/\(fixture.stack)/\(name)", "--with-decryption"])["Parameter"]
                as? [String: Any]
            #expect(parameter?["Type"] as? String == "SecureString")
            #expect(parameter?["Value"] as? String == typed[label], "\(label) stored as typed")
        }

        // A wrong name keeps the stack; its own name deletes it.
        let refused = try await fixture.collectionsOnTerminal(
            ["destroy", "--stack", fixture.stack], answers: [("Type its name to confirm", "not-this-stack")])
        #expect(refused.status != 0 && refused.output.contains("not confirmed"), "\(refused.output)")
        #expect(try await fixture.stackExists())
        let confirmed = try await fixture.collectionsOnTerminal(
            ["destroy", "--stack", fixture.stack], answers: [("Type its name to confirm", fixture.stack)])
        #expect(confirmed.status == 0 && confirmed.output.contains("DELETE_COMPLETE"), "\(confirmed.output)")
        #expect(try await !fixture.stackExists())
    }

    /// The order deploy asks in: the database URL, then the Anthropic key, then Voyage's.
    private func order(_ prompt: String) -> Int {
        prompt.hasPrefix("database") ? 0 : prompt.hasPrefix("Anthropic") ? 1 : 2
    }
}
