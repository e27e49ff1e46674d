import Foundation
import PipelineCore
import PostgresNIO
import Testing

@testable import TestSupport

/// `collections deploy` and `destroy` on moto (with CloudFormation's parameter rules), run as a user would.
///
/// moto executes change sets at once, and lists no resource change for a change of parameters
/// alone (a new artifact key): the changed-archive test checks the functions' code and the uploads,
/// not the change set's list.
@Suite(
    .serialized,
    .enabled(if: MotoServer.enabled && TestEnvironment.databaseEnabled, "needs moto and PostgreSQL (scripts/test)"))
struct DeployOnMotoTests {
    @Test func deployCreatesThenDoesNothingThenUpdatesOneFunctionThenDestroys() async throws {
        let fixture = try DeployFixture("deploy", verifying: false)
        defer { Task { await fixture.cleanUp() } }
        let database = "deploy_\(fixture.stack.suffix(8))"
        try await ScratchDatabase.with(database, migrate: false) { _ in }
        let databaseURL = try ScratchDatabase.url(database)
        let secrets = fixture.secrets.merging(["DATABASE_URL": databaseURL]) { $1 }

        // 1. A fresh deploy: bucket, archives, secrets, migrations, stack, outputs, choices.
        let first = try await fixture.collections(
            ["deploy", "--stack", fixture.stack, "--artifact-bucket", fixture.bucket, "--create-bucket"]
                + ["--archives", fixture.archives.path] + fixture.uniqueParameters,
            environment: secrets)
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        #expect(first.stdout.contains("stack \(fixture.stack): CREATE_COMPLETE"), "\(first.stdout)")
        #expect(first.stdout.contains("aws s3 cp photo.jpg"))
        #expect(first.stdout.contains("UploadBucketName") && first.stdout.contains("DashboardUrl"), "\(first.stdout)")
        #expect(first.stdout.contains("aws logs tail /aws/lambda/\(fixture.stack)-image-processor"))
        for (variable, name) in [
            ("DATABASE_URL", "database-url"), ("ANTHROPIC_API_KEY", "anthropic-api-key"),
            ("VOYAGE_API_KEY", "voyage-api-key"),
        ] {
            let parameter =
                try await fixture.aws(
                    ["ssm", "get-parameter", "--name", "/\(fixture.stack)/\(name)", "--with-decryption"])["Parameter"]
                as? [String: Any]
            #expect(parameter?["Type"] as? String == "SecureString")
            #expect(parameter?["Value"] as? String == secrets[variable])
        }
        var keys: [String: String] = [:]
        for function in ["ImageProcessor", "Analyzer", "Embedder"] {
            let data = try Data(contentsOf: fixture.archives.appendingPathComponent("\(function).zip"))
            keys[function] = "collections/\(function)-\(SigV4.sha256Hex(data).prefix(16)).zip"
            _ = try await fixture.aws(["s3api", "head-object", "--bucket", fixture.bucket, "--key", keys[function]!])
        }
        let migrated = try await Database(url: databaseURL, logger: .init(label: "test")).closing {
            try await ScratchDatabase.count("schema_migrations", in: $0)
        }
        #expect(migrated > 0)
        let choices = try #require(fixture.choicesFile)
        #expect(choices.contains("It holds no secrets") && choices.contains(fixture.bucket))
        for secret in secrets.values {
            #expect(!first.stdout.contains(secret) && !first.stderr.contains(secret) && !choices.contains(secret))
        }
        let before = try await stackState(fixture)

        // 2. Again with nothing given: the saved choices, the kept secrets, nothing to do.
        let second = try await fixture.collections([
            "deploy", "--stack", fixture.stack, "--archives", fixture.archives.path,
        ])
        #expect(second.status == 0, "\(second.stdout)\n\(second.stderr)")
        #expect(second.stdout.contains("no changes: stack \(fixture.stack) is up to date"), "\(second.stdout)")
        #expect(
            !second.stdout.contains("uploaded") && second.stdout.components(separatedBy: "is already there").count == 4)
        #expect(second.stdout.contains("kept (exists"))
        #expect(try await stackState(fixture) == before)

        // 3. One archive changed: one upload, a change set naming only that function, and only
        //    that function's code changes.
        do {
            let codeBefore = try await codeHashes(fixture)
            try fixture.writeArchive("Analyzer", comment: "Analyzer, rebuilt")
            let third = try await fixture.collections([
                "deploy", "--stack", fixture.stack, "--archives", fixture.archives.path,
            ])
            #expect(third.status == 0, "\(third.stdout)\n\(third.stderr)")
            #expect(third.stdout.components(separatedBy: ": uploaded s3://").count == 2, "\(third.stdout)")
            #expect(third.stdout.contains("stack \(fixture.stack): UPDATE_COMPLETE"))
            let changes = third.stdout.split(separator: "\n").filter { $0.hasPrefix("Modify") || $0.hasPrefix("Add") }
            #expect(changes.count == 1 && changes[0].contains("AnalyzerFunction"), "\(third.stdout)")
            let codeAfter = try await codeHashes(fixture)
            #expect(codeAfter["analyzer"] != codeBefore["analyzer"])
            #expect(
                codeAfter["image-processor"] == codeBefore["image-processor"]
                    && codeAfter["embedder"] == codeBefore["embedder"])

        }

        // 4. destroy refuses without a terminal or --yes; with --yes it deletes and says what stays.
        let refused = try await fixture.collections(["destroy", "--stack", fixture.stack])
        #expect(refused.status != 0 && refused.stderr.contains("pass --yes"), "\(refused.stderr)")
        let destroyed = try await fixture.collections(["destroy", "--stack", fixture.stack, "--yes"])
        #expect(destroyed.status == 0, "\(destroyed.stdout)\n\(destroyed.stderr)")
        #expect(
            destroyed.stdout.contains("DELETE_COMPLETE") && destroyed.stdout.contains("Kept (not part of the stack)"))
        #expect(
            destroyed.stdout.contains("/\(fixture.stack)/database-url") && destroyed.stdout.contains("DeletionPolicy"))
        #expect(try await !fixture.stackExists())
    }

    @Test func aBadParameterFailsWithCloudFormationsReasonAndLeavesNoStack() async throws {
        let fixture = try DeployFixture("deploy-bad")
        defer { Task { await fixture.cleanUp() } }
        let outcome = try await fixture.collections(
            ["deploy", "--stack", fixture.stack, "--artifact-bucket", fixture.bucket, "--create-bucket"]
                + ["--archives", fixture.archives.path, "--skip-migrations", "--parameter", "Architecture=sparc"]
                + fixture.uniqueParameters,
            environment: fixture.secrets.merging(["DATABASE_URL": "postgres://unused"]) { $1 })
        #expect(outcome.status != 0)
        #expect(
            outcome.stderr.contains(
                "CloudFormation refused the change set: Parameter 'Architecture' must be one of AllowedValues"),
            "\(outcome.stderr)")
        #expect(try await !fixture.stackExists())
        #expect(fixture.choicesFile == nil)
    }

    @Test func aDryRunShowsTheChangeSetAndLeavesNothing() async throws {
        let fixture = try DeployFixture("deploy-dry")
        defer { Task { await fixture.cleanUp() } }
        _ = try await fixture.aws(["s3api", "create-bucket", "--bucket", fixture.bucket])
        let outcome = try await fixture.collections(
            ["deploy", "--stack", fixture.stack, "--artifact-bucket", fixture.bucket, "--dry-run"]
                + ["--archives", fixture.archives.path] + fixture.uniqueParameters,
            environment: fixture.secrets.merging(["DATABASE_URL": "postgres://unused"]) { $1 })
        #expect(outcome.status == 0, "\(outcome.stdout)\n\(outcome.stderr)")
        #expect(
            outcome.stdout.contains("Add  ") && outcome.stdout.contains("AWS::Lambda::Function"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("dry run: change set deleted, nothing executed"))
        #expect(try await !fixture.stackExists())
        let objects = try await fixture.aws(["s3api", "list-objects-v2", "--bucket", fixture.bucket])
        // Only the template, which CloudFormation must read from S3 when it is over TemplateBody's limit.
        let keys = (objects["Contents"] as? [[String: Any]] ?? []).compactMap { $0["Key"] as? String }
        #expect(keys.allSatisfy { $0.hasPrefix("collections/template-") && $0.hasSuffix(".yaml") }, "\(keys)")
        let parameter = try await fixture.moto.aws([
            "ssm", "get-parameter", "--name", "/\(fixture.stack)/voyage-api-key",
        ])
        #expect(parameter.status != 0)
        #expect(fixture.choicesFile == nil)
    }

    /// The stack's last update time and its number of events.
    private func stackState(_ fixture: DeployFixture) async throws -> [String] {
        let stack =
            (try await fixture.aws(["cloudformation", "describe-stacks", "--stack-name", fixture.stack])["Stacks"]
            as? [[String: Any]])?.first
        let events =
            try await fixture.aws(["cloudformation", "describe-stack-events", "--stack-name", fixture.stack])[
                "StackEvents"] as? [Any]
        return ["\(stack?["LastUpdatedTime"] ?? "never")", "\(stack?["StackStatus"] ?? "")", "\(events?.count ?? -1)"]
    }

    /// Each function's CodeSha256, by name suffix.
    private func codeHashes(_ fixture: DeployFixture) async throws -> [String: String] {
        var hashes: [String: String] = [:]
        for suffix in ["image-processor", "analyzer", "embedder"] {
            let function = try await fixture.aws([
                "lambda", "get-function", "--function-name", "\(fixture.stack)-\(suffix)",
            ])
            hashes[suffix] = (function["Configuration"] as? [String: Any])?["CodeSha256"] as? String
        }
        return hashes
    }
}
