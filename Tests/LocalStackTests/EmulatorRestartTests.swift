import Foundation
import PipelineCore
import Testing

@testable import LocalStack
@testable import TestSupport

/// A moto killed and started again on its port: the journal rebuilds its queues, buckets and
/// objects but not the message traffic, and a client that pooled connections to the old server
/// works on its next call, without a retry to hide a stale connection.
@Suite(.enabled(if: MotoServer.enabled, "needs moto (scripts/test)"))
struct EmulatorRestartTests {
    @Test func theJournalRestoresStateAndPooledConnectionsRecover() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent(
            "collections-emulator-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(
            at: state.appendingPathComponent("logs"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: state) }
        let paths = StackPaths(home: TestEnvironment.repository, state: state, binaries: Products.folder)
        let port = try FreePort.find()
        var moto = try await Emulator.launch(paths: paths, port: port, environment: ProcessInfo.processInfo.environment)
        defer { kill(moto.pid, SIGKILL) }
        let endpoint = try AWSEndpoint(url: "http://127.0.0.1:\(port)", region: "us-east-1", variable: "test")
        // No retries: a stale pooled connection would fail the call.
        let client = AWSClient(
            credentials: AWSCredentials(accessKeyID: "test", secretAccessKey: "test"), retry: .none)
        let sqs = SQSClient(client: client, endpoint: endpoint)
        let s3 = S3Client(client: client, endpoint: endpoint, pathStyle: true)
        let queue = try await sqs.createQueue("restored", attributes: ["VisibilityTimeout": "45"])
        _ = try await sqs.send(to: queue, body: "lost with the old server")
        try await s3.createBucket("restored-bucket")
        try await s3.put(
            bucket: "restored-bucket", key: "alice/a.jpg", data: Data("bytes".utf8), contentType: "image/jpeg")

        let journal = Emulator.journal(in: paths)
        let mode = try FileManager.default.attributesOfItem(atPath: journal.path)[.posixPermissions] as? Int
        #expect(mode == 0o600, "the journal holds the SSM secrets")

        kill(moto.pid, SIGKILL)
        while moto.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        let previous = journal.appendingPathExtension("replaying")
        try FileManager.default.moveItem(at: journal, to: previous)
        moto = try await Emulator.launch(paths: paths, port: port, environment: ProcessInfo.processInfo.environment)
        let replayed = try await EmulatorJournal.replay(previous, to: URL(string: "http://127.0.0.1:\(port)")!)
        // CreateQueue, CreateBucket, PutObject; not SendMessage.
        #expect(replayed.sent == 3 && replayed.refused == 0, "\(replayed)")

        #expect(try await sqs.attributes(of: queue)["VisibilityTimeout"] == "45")
        #expect(try await sqs.receive(from: queue, maximum: 10, visibilityTimeout: .seconds(1)).isEmpty)
        let object = try await s3.get(bucket: "restored-bucket", key: "alice/a.jpg", maxBytes: 100, ifMatch: nil)
        #expect(object.data == Data("bytes".utf8))
    }
}
