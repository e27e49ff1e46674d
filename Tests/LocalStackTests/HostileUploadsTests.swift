import Foundation
import LocalStack
import PipelineCore
import Testing

@testable import TestSupport

/// The hostile and odd corpus in `fixtures/images/`, uploaded to the local stack under keys with
/// spaces, unicode and reserved characters: each becomes a thumbnail, or a named error that SQL
/// shows on the item, with nothing half-written, and its event in the dead-letter queue.
@Suite(
    .enabled(if: TestEnvironment.databaseEnabled && MotoServer.enabled, "needs PostgreSQL and moto (scripts/test)"),
    .serialized)
struct HostileUploadsTests {
    /// Refused uploads: fixture (nil for the generated over-limit file), key, expected error code.
    static let refused: [(file: String?, key: String, code: String)] = [
        ("empty.jpg", "eve/empty file.jpg", "empty"),
        ("text.jpg", "eve/plain text 'named' .jpg", "unsupportedFormat"),
        ("truncated.jpg", "eve/trunc+ated #1.jpg", "corrupt"),
        ("bad-crc.png", "eve/bad crc (IDAT) 100%.png", "corrupt"),
        ("bomb.png", "eve/bömb 30000×30000.png", "tooManyPixels"),
        ("external.svg", "eve/external&ref=passwd.svg", "unsupportedFormat"),
        ("doc.pdf", "eve/document ~ page?1.pdf", "unsupportedFormat"),
        (nil, "eve/over the limit.jpg", "tooManyBytes"),
    ]
    /// Accepted odd inputs and their keys.
    static let accepted: [(file: String, key: String)] = [
        ("animated.gif", "eve/animated [3 frames].gif"), ("cmyk.jpg", "eve/cmyk, print.jpg"),
        ("deep16.png", "eve/16-bit; deep.png"), ("grey.jpg", "eve/grey=gray.jpg"),
        ("exif-rotate-6.jpg", "eve/exif rotated 6.jpg"), ("exif-rotate-8.jpg", "eve/exif rotated 8.jpg"),
        ("alpha.png", "eve/transparent $alpha.png"), ("red.heic", "eve/iPhone 写真.heic"),
        ("photo.webp", "eve/cat @ home.webp"), ("small.png", "eve/small: 100×80.png"),
    ]

    @Test func everyUploadGetsAThumbnailOrANamedRecordedError() async throws {
        try await ScratchDatabase.with("local_stack_hostile") { database in
            let stateDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "collections-hostile-\(UUID().uuidString.prefix(8))")
            let environment = LocalStackCLI.environment(stateDirectory: stateDirectory)
            func collections(_ arguments: [String], _ timeout: Duration = .seconds(120)) async throws
                -> Products.Outcome
            {
                try await Products.run("collections", arguments: arguments, environment: environment, timeout: timeout)
            }
            let up = try await collections([
                "local", "up", "--database", "local_stack_hostile", "--processes", "1", "--retry-delay-ms", "100",
            ])
            try #require(up.status == 0, "\(up.stdout)\n\(up.stderr)")
            defer { LocalStackCLI.down(environment: environment) }
            let stack = try #require(try StackState.load(from: stateDirectory))
            let s3 = S3Client(
                client: AWSClient(credentials: AWSCredentials(accessKeyID: "local", secretAccessKey: "local")),
                endpoint: try stack.emulatorEndpoint())

            for (file, key, _) in Self.refused {
                // One byte over the 50 MiB limit, generated here rather than kept in git.
                let data =
                    try file.map { try TestEnvironment.data("fixtures/images/\($0)") }
                    ?? Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data(count: ImagingOptions().maxInputBytes - 3)
                try await s3.put(bucket: stack.bucket, key: key, data: data, contentType: "image/jpeg")
            }
            for (file, key) in Self.accepted {
                let data = try TestEnvironment.data("fixtures/images/\(file)")
                try await s3.put(bucket: stack.bucket, key: key, data: data, contentType: "application/octet-stream")
            }

            // Every refusal reaches the dead-letter queue after its three attempts.
            var failures: [DeadLetters.Failure] = []
            try await waitFor("every refusal in the dead-letter queue", timeout: .seconds(120)) {
                failures = try await listFailures { try await collections($0, $1) }
                return Set(failures.map(\.subject)).isSuperset(of: Self.refused.map(\.key))
            }
            try await waitFor("every accepted upload embedded", timeout: .seconds(120)) {
                try await Self.statuses(database).values.filter { $0.status == "embedded" }.count
                    == Self.accepted.count
            }
            let statuses = try await Self.statuses(database)
            for (_, key, code) in Self.refused {
                let failure = failures.first { $0.subject == key }
                #expect(failure?.function.hasSuffix("image-processor") == true, "\(key)")
                #expect(failure?.errorMessage.contains(key) == true, "\(key): \(failure?.errorMessage ?? "")")
                // Recorded where a SQL user looks, with no thumbnail, rendition or analysis.
                #expect(statuses[key]?.status == "failed", "\(key)")
                #expect(
                    statuses[key]?.stage == "ImageProcessor" && statuses[key]?.code == code,
                    "\(key): \(statuses[key].map { "\($0)" } ?? "no row")")
                for prefix in ["derived/thumbnails/", "derived/renditions/"] {
                    await #expect(throws: ObjectStoreError.self, "\(prefix)\(key)") {
                        try await s3.head(bucket: stack.bucket, key: "\(prefix)\(key).jpg")
                    }
                }
            }
            #expect(failures.count == Self.refused.count, "\(failures.map(\.subject))")
            for (_, key) in Self.accepted {
                #expect(statuses[key]?.status == "embedded", "\(key)")
                let thumbnail = try await s3.head(bucket: stack.bucket, key: "derived/thumbnails/\(key).jpg")
                #expect(thumbnail.size > 0 && thumbnail.contentType == "image/jpeg", "\(key)")
            }
            // Only accepted uploads have analyses.
            #expect(try await ScratchDatabase.count("analyses", in: database) == Self.accepted.count)
        }
    }

    /// Status, error stage and code of each item, by key.
    static func statuses(_ database: Database) async throws -> [String: (status: String, stage: String?, code: String?)]
    {
        var result: [String: (status: String, stage: String?, code: String?)] = [:]
        let rows = try await database.client.query("SELECT object_key, status, error_stage, error_code FROM items")
        for try await (key, status, stage, code) in rows.decode((String, String, String?, String?).self) {
            result[key] = (status, stage, code)
        }
        return result
    }
}
