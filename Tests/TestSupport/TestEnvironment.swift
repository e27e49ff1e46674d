import Foundation
import Logging
import PipelineCore
import PostgresNIO

/// Paths and switches the tests share.
public enum TestEnvironment {
    /// The repository root.
    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A file under the repository root.
    public static func file(_ path: String) -> URL {
        repository.appendingPathComponent(path)
    }

    /// The bytes of a file under the repository root.
    public static func data(_ path: String) throws -> Data {
        try Data(contentsOf: file(path))
    }

    /// A sample from `events/` as the function receives it: PutEvents entries files are wrapped
    /// as EventBridge delivers them (the first entry).
    public static func delivered(_ path: String) throws -> Data {
        try LocalInvocation.events(in: data(path))[0]
    }

    private static let environment = ProcessInfo.processInfo.environment

    /// `COLLECTIONS_REQUIRE_INTEGRATION`: when set (scripts/test sets it), integration tests run
    /// even without their resources, and so fail loudly instead of being skipped.
    public static let integrationRequired = environment["COLLECTIONS_REQUIRE_INTEGRATION"] != nil

    /// `COLLECTIONS_TEST_DATABASE_URL`: a database the tests may create scratch databases from.
    public static let databaseURL = environment["COLLECTIONS_TEST_DATABASE_URL"]

    /// Whether database tests run.
    public static let databaseEnabled = databaseURL != nil || integrationRequired

    /// `COLLECTIONS_PHOTOS`: the real photos `scripts/fetch-photos` puts in `.collections/photos`.
    public static let photos: URL? = {
        let path = environment["COLLECTIONS_PHOTOS"] ?? repository.appendingPathComponent(".collections/photos").path
        return FileManager.default.fileExists(atPath: path) ? URL(fileURLWithPath: path) : nil
    }()

    /// Whether tests on real photos run.
    public static let photosEnabled = photos != nil || integrationRequired

    /// `COLLECTIONS_TEST_PYTHON`: a Python with the official `anthropic` and `voyageai` SDKs
    /// (scripts/test installs them into `.venv`).
    public static let python = environment["COLLECTIONS_TEST_PYTHON"]

    /// Whether the SDK proof runs.
    public static let pythonEnabled = python != nil || integrationRequired

    /// The real photos, sorted by name.
    public static func photoFiles() throws -> [URL] {
        guard let photos else { throw TestSetupError("no photos: run scripts/fetch-photos (or scripts/test)") }
        return try FileManager.default.contentsOfDirectory(at: photos, includingPropertiesForKeys: nil)
            .filter { ["jpg", "jpeg", "png", "webp"].contains($0.pathExtension.lowercased()) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}

/// A test's resources are missing.
public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
