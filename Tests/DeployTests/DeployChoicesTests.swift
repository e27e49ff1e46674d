import Deploy
import Foundation
import Testing

/// The choices file: saved, read back, overridden by the command line, and free of secrets.
@Suite struct DeployChoicesTests {
    @Test func choicesRoundTripAndSayTheyHoldNoSecrets() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("choices-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try DeployChoices.load(from: folder) == DeployChoices())

        let choices = DeployChoices(stacks: [
            "collections": .init(
                region: "eu-west-1", artifactBucket: "artifacts", parameters: ["Architecture": "arm64"])
        ])
        try choices.save(to: folder)
        #expect(try DeployChoices.load(from: folder) == choices)
        let text = try String(contentsOf: folder.appendingPathComponent(DeployChoices.fileName), encoding: .utf8)
        let note = try #require(text.range(of: "\"note\" : \"Saved by collections deploy"))
        let stacks = try #require(text.range(of: "\"stacks\""))
        #expect(note.lowerBound < stacks.lowerBound, "the note comes first:\n\(text)")
        #expect(text.contains("It holds no secrets"))
    }

    @Test func commandLineValuesOverrideSavedOnes() {
        let saved = DeployChoices.Stack(
            region: "eu-west-1", artifactBucket: "old", parameters: ["Architecture": "arm64", "ThumbnailSize": "256"])
        let merged = saved.overridden(by: .init(artifactBucket: "new", parameters: ["ThumbnailSize": "1024"]))
        #expect(
            merged
                == .init(
                    region: "eu-west-1", artifactBucket: "new",
                    parameters: ["Architecture": "arm64", "ThumbnailSize": "1024"]))
    }

    @Test func aFileThatIsNotChoicesIsAnError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("choices-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("not json".utf8).write(to: folder.appendingPathComponent(DeployChoices.fileName))
        #expect(throws: DeployError.self) { try DeployChoices.load(from: folder) }
    }

    @Test func theTemplatesKeysDefaultsAndBucketPolicyAreRead() throws {
        let template = try DeployTemplate(
            file: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                "../../infrastructure/template.yaml"))
        #expect(template.value("DatabaseUrlParameterName", given: [:]) == "/collections/database-url")
        #expect(template.value("Architecture", given: ["Architecture": "arm64"]) == "arm64")
        #expect(template.bucketDeletionPolicies["UploadBucket"] != nil)
        #expect(throws: DeployError.self) { try template.checkKeys(["NoSuchParameter": "1"]) }
        #expect(
            Secrets(template: template, parameters: ["ClaudeProvider": "bedrock"]).secrets.map(\.variable) == [
                "DATABASE_URL", "VOYAGE_API_KEY",
            ])
    }
}
