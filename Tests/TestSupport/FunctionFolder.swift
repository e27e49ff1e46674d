import Foundation
import PipelineCore

/// A temporary folder standing in for S3 (`objects/`) and EventBridge (`events/`), holding
/// `collections-local/demo/red.jpg`.
public struct FunctionFolder: Sendable {
    /// The folder.
    public let root = FileManager.default.temporaryDirectory.appendingPathComponent("function-\(UUID().uuidString)")
    /// Stands in for S3: `objects/BUCKET/KEY`.
    public var objects: URL { root.appendingPathComponent("objects") }
    /// Stands in for EventBridge: one file per sent event.
    public var events: URL { root.appendingPathComponent("events") }

    /// Creates the folder with the one upload.
    public init() throws {
        let original = objects.appendingPathComponent("collections-local/demo/red.jpg")
        try FileManager.default.createDirectory(
            at: original.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestEnvironment.file("fixtures/images/red.jpg"), to: original)
    }

    /// Local folders for objects and events, and credentials that are never used.
    public var environment: [String: String] {
        [
            "COLLECTIONS_LOCAL_ROOT": objects.path, "COLLECTIONS_LOCAL_EVENTS": events.path,
            "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "x",
        ]
    }

    /// The S3 notification for the upload, with its real size and ETag.
    public func uploadEvent() async throws -> Data {
        let head = try await FileSystemObjectStore(root: objects).head(bucket: "collections-local", key: "demo/red.jpg")
        return S3EventSamples.put(bucket: "collections-local", key: "demo/red.jpg", size: head.size, etag: head.etag)
    }

    /// Runs ImageProcessor on the upload with `--event`; returns the `ImageProcessed` event it sent.
    public func processUpload() async throws -> Data {
        try await run("ImageProcessor", on: try await uploadEvent(), environment)
    }

    /// Runs `function` on `event` with `--event`; returns the one event it sent.
    public func run(_ function: String, on event: Data, _ environment: [String: String]) async throws -> Data {
        let input = root.appendingPathComponent("\(function)-input.json")
        try event.write(to: input)
        let before = Set(try sentEvents())
        let outcome = try await Products.run(function, arguments: ["--event", input.path], environment: environment)
        guard outcome.status == 0 else {
            throw TestSetupError("\(function) --event failed: \(outcome.stdout) \(outcome.stderr)")
        }
        let sent = try sentEvents().filter { !before.contains($0) }
        guard sent.count == 1 else { throw TestSetupError("\(function) sent \(sent.count) events, not 1") }
        return try Data(contentsOf: events.appendingPathComponent(sent[0]))
    }

    /// The names of the event files sent so far.
    public func sentEvents() throws -> [String] {
        guard FileManager.default.fileExists(atPath: events.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: events.path)
    }

    /// Deletes the folder.
    public func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}
