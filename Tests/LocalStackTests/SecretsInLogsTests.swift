import Foundation
import LocalStack
import PipelineCore
import Testing

@testable import TestSupport

/// A whole local-stack run with distinctive secrets configured as the functions get them (API keys
/// in SSM SecureStrings, the database URL with the real password in SSM, a session token and
/// secret key in each function's environment, secrets in the CLI's own environment), driven
/// through successes and failures (a corrupt upload, a missing object, API errors the stand-ins
/// inject, a missing table, a wrong password, an unreachable server, at `LOG_LEVEL=debug`); then
/// every line any process wrote is searched for every secret, raw, URL-encoded and JSON-escaped.
@Suite(
    .enabled(if: TestEnvironment.databaseEnabled && MotoServer.enabled, "needs PostgreSQL and moto (scripts/test)"),
    .serialized)
struct SecretsInLogsTests {
    static func token(_ prefix: String, _ count: Int = 32) -> String {
        prefix + String((0..<count).map { _ in "abcdefghijkmnopqrstuvwxyz23456789".randomElement()! })
    }

    @Test func noConfiguredSecretAppearsInAnyOutput() async throws {
        try await ScratchDatabase.withTemporary("local_stack_secrets") { database, databaseName in
            let state = FileManager.default.temporaryDirectory.appendingPathComponent(
                "collections-secrets-\(UUID().uuidString.prefix(8))")
            let anthropicKey = Self.token("sk-ant-api03-", 40) + "+/="
            let voyageKey = Self.token("pa-", 40) + "/+"
            let cliSecret = Self.token("cliSecret/", 30)
            let cliToken = Self.token("FwoGZXIvYXdzE", 120)
            let password = try #require(URLComponents(string: try ScratchDatabase.url(databaseName))?.password)
            let wrongPassword = Self.token("wrong-", 24)
            var outputs: [(String, String)] = []

            // Stand-ins of our own, failing a third of the calls, behind the real keys.
            let port = try LocalPorts.free(from: 54480)
            let standIns = try await Products.start(
                "collections", arguments: ["stand-ins", "--port", "\(port)", "--faults", "500=0.2,429=0.15,seed=11"],
                environment: ["LOG_LEVEL": "debug"])
            defer { standIns.signal(SIGTERM) }
            #expect(await LocalPorts.waitUntilListening(port, timeout: .seconds(30)))

            var environment = LocalStackCLI.environment(stateDirectory: state)
            environment.merge([
                "LOG_LEVEL": "debug",
                "ANTHROPIC_API_KEY": anthropicKey, "ANTHROPIC_BASE_URL": "http://127.0.0.1:\(port)",
                "VOYAGE_API_KEY": voyageKey, "VOYAGE_BASE_URL": "http://127.0.0.1:\(port)",
                "AWS_ACCESS_KEY_ID": "ASIAEXAMPLECLIENT", "AWS_SECRET_ACCESS_KEY": cliSecret,
                "AWS_SESSION_TOKEN": cliToken,
            ]) { $1 }
            func collections(_ arguments: [String], timeout: Duration = .seconds(120)) async throws -> Products.Outcome
            {
                let outcome = try await Products.run(
                    "collections", arguments: arguments, environment: environment, timeout: timeout)
                outputs.append(("collections \(arguments.joined(separator: " "))", outcome.stdout + outcome.stderr))
                return outcome
            }

            let up = try await collections([
                "local", "up", "--database", databaseName, "--processes", "1", "--retry-delay-ms", "200",
            ])
            defer { LocalStackCLI.down(environment: environment) }
            try #require(up.status == 0, "\(up.stdout)\n\(up.stderr)")
            let stack = try #require(try StackState.load(from: state))
            // The keys reach the functions through Parameter Store only; each function has its own
            // temporary credentials with a session token.
            #expect(stack.claude == "api" && stack.voyage == "api" && stack.standInsURL == nil)
            let analyzer = try #require(stack.functions.first { $0.executable == "Analyzer" })
            #expect(analyzer.environment["COLLECTIONS_ANTHROPIC_API_KEY_PARAMETER"] != nil)
            #expect(analyzer.environment["ANTHROPIC_API_KEY"] == nil && analyzer.environment["DATABASE_URL"] == nil)
            #expect(analyzer.environment["ANTHROPIC_BASE_URL"] == "http://127.0.0.1:\(port)")
            var secrets = [anthropicKey, voyageKey, cliSecret, cliToken, password, wrongPassword]
            for function in stack.functions {
                let token = try #require(function.environment["AWS_SESSION_TOKEN"])
                secrets += [token, try #require(function.environment["AWS_SECRET_ACCESS_KEY"])]
            }

            // A wrong password and a server that is not there: the pool gives up after about a minute,
            // so these run beside the rest.
            let databasePort = try #require(URLComponents(string: stack.databaseURL)?.port)
            var refusals: [(String, RunningProduct)] = []
            for (name, url) in [
                ("items, wrong password", "postgres://collections:\(wrongPassword)@127.0.0.1:\(databasePort)/x"),
                ("counts, no server", "postgres://collections:\(password)@127.0.0.1:1/\(databaseName)"),
            ] {
                refusals.append(
                    (
                        name,
                        try await Products.start(
                            "collections", arguments: ["counts", "--database-url", url], environment: environment)
                    ))
            }

            // Uploads that work, a corrupt one, and a replayed upload of an object that does not exist.
            let aws = AWSCommand(stack: stack)
            for (index, photo) in try TestEnvironment.photoFiles().prefix(3).enumerated() {
                #expect(
                    try await aws.run(["s3", "cp", photo.path, "s3://\(stack.bucket)/alice/\(index).jpg"]).status == 0)
            }
            let corrupt = TestEnvironment.file("fixtures/images/truncated.jpg")
            #expect(try await aws.run(["s3", "cp", corrupt.path, "s3://\(stack.bucket)/alice/broken.jpg"]).status == 0)
            let replay = state.appendingPathComponent("missing.json")
            try String(contentsOf: TestEnvironment.file("events/object-created.json"), encoding: .utf8)
                .replacingOccurrences(of: "demo/my photo+1.jpg", with: "alice/missing.jpg").write(
                    to: replay, atomically: true, encoding: .utf8)
            #expect(try await aws.run(["events", "put-events", "--entries", "file://\(replay.path)"]).status == 0)
            let queues = StackQueues(stack: stack)
            try await queues.waitUntilIdle(timeout: .seconds(180))

            // A database error in the Embedder (its table is gone), while status reads the counts.
            try await database.client.query("ALTER TABLE embeddings RENAME TO embeddings_away")
            let photo = try #require(try TestEnvironment.photoFiles().last)
            #expect(try await aws.run(["s3", "cp", photo.path, "s3://\(stack.bucket)/alice/late.jpg"]).status == 0)
            let embedderLog = state.appendingPathComponent("logs/Embedder-1.log")
            try await waitFor("the Embedder to fail on the missing table", timeout: .seconds(120)) {
                let log = (try? String(contentsOf: embedderLog, encoding: .utf8)) ?? ""
                return log.contains(#"relation \"embeddings\" does not exist"#)
            }
            _ = try await collections(["local", "status"])
            try await queues.waitUntilIdle(timeout: .seconds(120))
            try await database.client.query("ALTER TABLE embeddings_away RENAME TO embeddings")
            #expect(try await ScratchDatabase.count("embeddings", in: database) > 0, "nothing got through")
            _ = try await collections(["local", "failures", "--json"])

            // The commands users run.
            _ = try await collections(["local", "status"])
            _ = try await collections(["local", "failures"])
            _ = try await collections(["local", "logs", "-n", "100000"])
            _ = try await collections(["items"])
            let search = try await collections(["search", "a photo"])
            #expect(search.status == 0 && search.stdout.contains("alice/"), "\(search.stdout)\(search.stderr)")
            for (name, running) in refusals {
                let refused = try await running.wait(timeout: .seconds(150))
                #expect(refused.status != 0, "\(name): \(refused.stdout)")
                outputs.append((name, refused.stdout + refused.stderr))
            }
            // The grep finds these secrets where they are meant to be: in the mode-600 stack.json.
            let saved = try String(contentsOf: StackState.file(in: state), encoding: .utf8)
            #expect(saved.contains(password))
            #expect(stack.functions.allSatisfy { saved.contains($0.environment["AWS_SESSION_TOKEN"] ?? "?") })
            #expect(try await collections(["local", "down"]).status == 0)
            standIns.signal(SIGTERM)
            let served = try await standIns.wait(timeout: .seconds(30))
            outputs.append(("our stand-ins", served.stdout + served.stderr))

            // Every log the stack wrote, and everything printed.
            let logs = state.appendingPathComponent("logs")
            for file in try FileManager.default.contentsOfDirectory(atPath: logs.path) {
                outputs.append((file, try String(contentsOf: logs.appendingPathComponent(file), encoding: .utf8)))
            }
            let names = Set(outputs.map(\.0))
            for log in ["ImageProcessor-1.log", "Analyzer-1.log", "Embedder-1.log", "runner.log", "moto.log"] {
                #expect(names.contains(log), "no \(log) in \(names.sorted())")
            }
            let all = outputs.map(\.1).joined(separator: "\n")
            // The runs did go through the error paths and the logs said so.
            for evidence in [
                "alice/broken.jpg", "alice/missing.jpg", #"relation \"embeddings\" does not exist"#, "injected: 500",
                "password authentication failed",
            ] {
                #expect(all.contains(evidence), "no output mentions \(evidence)")
            }
            for secret in secrets {
                for form in SecretForms.of(secret) {
                    let leaks = outputs.filter { $0.1.contains(form) }.map(\.0)
                    #expect(leaks.isEmpty, "a secret (\(secret.prefix(6))…) appears in: \(leaks)")
                }
            }
        }
    }
}

/// The ways a secret can appear in text: as is, URL-encoded, JSON-escaped.
enum SecretForms {
    static func of(_ secret: String) -> Set<String> {
        var forms: Set<String> = [secret]
        if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) { forms.insert(encoded) }
        if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) { forms.insert(encoded) }
        forms.insert(secret.replacingOccurrences(of: "/", with: "\\/"))
        return forms
    }
}
