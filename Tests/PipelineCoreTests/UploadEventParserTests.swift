import Foundation
import PipelineCore
import TestSupport
import Testing

@Suite struct UploadEventParserTests {
    let parser = UploadEventParser(ignoredPrefixes: ["thumbnails/", "renditions/"])

    @Test func parsesTheS3NotificationSample() throws {
        let decisions = try parser.parse(TestEnvironment.data("events/s3-put.json"))
        #expect(
            decisions == [
                .process(
                    S3ObjectReference(
                        bucket: "collections-local", key: "demo/red.jpg", size: 20835,
                        etag: "001591856350dd381f159f4b5c5771df", sequencer: "0055AED6DCD90281E5"))
            ])
    }

    @Test func parsesTheEventBridgeSampleWithItsKeyAsIs() throws {
        let decisions = try parser.parse(TestEnvironment.data("events/s3-object-created.json"))
        guard case .process(let object) = try #require(decisions.first) else {
            Issue.record("expected an object to process")
            return
        }
        // EventBridge delivers the key decoded: "+" is a plus sign there, not a space.
        #expect(object.key == "demo/my photo+1.jpg")
        #expect(object.bucket == "collections-local")
        #expect(try object.userID() == "demo")
    }

    @Test func parsesWhatMotoDeliversFromS3ThroughEventBridge() throws {
        let decisions = try parser.parse(TestEnvironment.data("fixtures/events/moto-object-created.json"))
        #expect(
            decisions == [
                .process(
                    S3ObjectReference(
                        bucket: "probe-bucket", key: "demo/red.jpg", size: 20835,
                        etag: "001591856350dd381f159f4b5c5771df", sequencer: "617f08299329d189"))
            ])
    }

    @Test func acceptsReplayedObjectCreatedEntries() throws {
        let decisions = try parser.parse(TestEnvironment.delivered("events/object-created.json"))
        guard case .process(let object) = try #require(decisions.first) else {
            Issue.record("expected an object to process")
            return
        }
        #expect(object.key == "demo/my photo+1.jpg")
        let other = #"{"detail-type":"Object Created","source":"someone.else","detail":{}}"#
        let error = #expect(throws: EventError.self) { try parser.parse(Data(other.utf8)) }
        #expect(error?.code == .unsupportedEvent)
    }

    @Test func decodesNotificationKeys() throws {
        let event = S3EventSamples.put(bucket: "b", key: "u/my photo+1 café.jpg", size: 1, etag: "e")
        let encoded = String(decoding: event, as: UTF8.self)
        #expect(encoded.contains("u/my+photo%2B1+caf%C3%A9.jpg"))
        #expect(
            try parser.parse(event) == [
                .process(
                    S3ObjectReference(
                        bucket: "b", key: "u/my photo+1 café.jpg", size: 1, etag: "e",
                        sequencer: try sequencer(of: event)))
            ])
    }

    @Test func ignoresTheTestEvent() throws {
        #expect(
            try parser.parse(TestEnvironment.data("events/s3-test-event.json")) == [.ignore(reason: "s3:TestEvent")])
    }

    @Test func ignoresOurOwnOutputs() throws {
        let event = S3EventSamples.put(bucket: "b", key: "thumbnails/u/a.jpg.jpg", size: 1, etag: "e")
        guard case .ignore(let reason) = try #require(try parser.parse(event).first) else {
            Issue.record("a thumbnail must not be processed again")
            return
        }
        #expect(reason.contains("thumbnails/"))
    }

    @Test func ignoresDeletionsInBothShapes() throws {
        let record = String(decoding: try TestEnvironment.data("events/s3-put.json"), as: UTF8.self)
            .replacingOccurrences(of: "ObjectCreated:Put", with: "ObjectRemoved:Delete")
        #expect(
            try parser.parse(Data(record.utf8)) == [.ignore(reason: "not an object creation: ObjectRemoved:Delete")])
        let bridge = String(decoding: try TestEnvironment.data("events/s3-object-created.json"), as: UTF8.self)
            .replacingOccurrences(of: "Object Created", with: "Object Deleted")
        #expect(try parser.parse(Data(bridge.utf8)) == [.ignore(reason: "not an Object Created event: Object Deleted")])
    }

    @Test func namesWhatIsWrongWithMalformedEvents() throws {
        let cases: [(String, String)] = [
            ("not json", "not valid JSON"),
            ("{}", "neither an S3 notification"),
            (
                #"{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{}}}]}"#,
                "\"Records[0].s3.object.key\""
            ),
            (
                #"{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":7}}}]}"#,
                "must be a string"
            ),
            (
                #"{"detail-type":"ImageProcessed","source":"collections.imageprocessor","detail":{}}"#,
                "accepts S3 events"
            ),
            (
                #"{"detail-type":"Object Created","source":"aws.s3","detail":{"bucket":{"name":"b"}}}"#,
                "\"detail.object\""
            ),
        ]
        for (json, expected) in cases {
            let error = #expect(throws: EventError.self) { try parser.parse(Data(json.utf8)) }
            #expect(error?.message.contains(expected) == true, "\(json) → \(error?.message ?? "no error")")
        }
    }

    @Test func requiresAUserPrefix() throws {
        let error = #expect(throws: EventError.self) { try S3ObjectReference(bucket: "b", key: "photo.jpg").userID() }
        #expect(error?.message.contains("no user prefix") == true)
    }

    private func sequencer(of event: Data) throws -> String? {
        let notification = try JSONDecoder().decode(S3Notification.self, from: event)
        return notification.records.first?.s3.object.sequencer
    }
}
