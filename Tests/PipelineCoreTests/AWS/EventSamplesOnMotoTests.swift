import Foundation
import PipelineCore
import TestSupport
import Testing

/// The samples in events/ go through `aws events put-events --entries file://...`, and what the
/// rule delivers is what each function accepts.
@Suite(.enabled(if: MotoServer.enabled)) struct EventSamplesOnMotoTests {
    @Test(arguments: ["object-created", "image-processed", "image-analyzed"])
    func samplesAreAcceptedByPutEventsAndTheirFunction(sample: String) async throws {
        let server = try MotoServer.requireVerifying()
        let bus = MotoServer.uniqueName("samples")
        let queue = try await server.busDeliveringToQueue(bus)
        var entries =
            try JSONSerialization.jsonObject(with: TestEnvironment.data("events/\(sample).json")) as! [[String: Any]]
        for index in entries.indices { entries[index]["EventBusName"] = bus }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(bus).json")
        try JSONSerialization.data(withJSONObject: entries).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let outcome = try await server.aws(["events", "put-events", "--entries", "file://\(file.path)"])
        #expect(outcome.status == 0, "aws: \(outcome.stderr)")
        #expect(outcome.stdout.contains(#""FailedEntryCount": 0"#), "aws: \(outcome.stdout)")
        let delivered = try await server.receive(1, from: queue)
        try #require(delivered.count == 1)
        let event = Data(delivered[0].utf8)
        switch sample {
        case "object-created":
            let decisions = try UploadEventParser(ignoredPrefixes: ["thumbnails/"]).parse(event)
            #expect(decisions.count == 1)
            guard case .process(let object) = decisions.first else {
                Issue.record("expected an object to process, got \(decisions)")
                return
            }
            #expect(object.key == "demo/my photo+1.jpg")
        case "image-processed":
            #expect(try ImageProcessed.decodeEvent(from: event).originalKey == "demo/red.jpg")
        default:
            #expect(try ImageAnalyzed.decodeEvent(from: event).model == "collections-pixels-v1")
        }
    }
}
