import Foundation
import PipelineCore
import TestSupport
import Testing

@Suite struct PipelineEventDetailTests {
    @Test func decodesTheSamples() throws {
        let processed = try ImageProcessed.decodeEvent(from: TestEnvironment.delivered("events/image-processed.json"))
        #expect(processed.userID == "demo")
        #expect(processed.width == 800)
        #expect(processed.renditionKey == "renditions/demo/red.jpg.jpg")
        let analyzed = try ImageAnalyzed.decodeEvent(from: TestEnvironment.delivered("events/image-analyzed.json"))
        #expect(analyzed.model == "collections-pixels-v1")
    }

    @Test(arguments: [
        "item_id", "user_id", "bucket", "original_key", "thumbnail_key", "content_type", "width", "height", "bytes",
        "etag",
    ])
    func namesAMissingRequiredField(field: String) throws {
        var event =
            try JSONSerialization.jsonObject(with: TestEnvironment.delivered("events/image-processed.json"))
            as! [String: Any]
        var detail = event["detail"] as! [String: Any]
        detail.removeValue(forKey: field)
        event["detail"] = detail
        let data = try JSONSerialization.data(withJSONObject: event)
        let error = #expect(throws: EventError.self) { try ImageProcessed.decodeEvent(from: data) }
        #expect(error?.code == .missingField)
        #expect(error?.message == "ImageProcessed event is missing required field \"detail.\(field)\"")
    }

    @Test func rejectsMistypedAndImpossibleValues() throws {
        let base = String(decoding: try TestEnvironment.delivered("events/image-processed.json"), as: UTF8.self)
        let cases = [
            (
                base.replacingOccurrences(of: "\"width\":800", with: "\"width\":\"800\""),
                "\"detail.width\" must be an integer"
            ),
            (base.replacingOccurrences(of: "\"width\":800", with: "\"width\":0"), "detail.width\": must be positive"),
            (base.replacingOccurrences(of: "\"user_id\":\"demo\"", with: "\"user_id\":\"\""), "must not be empty"),
            (
                base.replacingOccurrences(of: "a4116024-31e9-5e4b-b81f-ee53296d10fc", with: "not-a-uuid"),
                "detail.item_id"
            ),
        ]
        for (json, expected) in cases {
            let error = #expect(throws: EventError.self) { try ImageProcessed.decodeEvent(from: Data(json.utf8)) }
            #expect(error?.message.contains(expected) == true, "\(error?.message ?? "no error")")
        }
    }

    @Test func rejectsTheWrongDetailType() throws {
        let error = #expect(throws: EventError.self) {
            try ImageAnalyzed.decodeEvent(from: TestEnvironment.delivered("events/image-processed.json"))
        }
        #expect(error?.code == .unsupportedEvent)
        #expect(error?.message.contains("expected a ImageAnalyzed event, got detail-type \"ImageProcessed\"") == true)
    }

    @Test func roundTripsThroughAnEventBridgeDelivery() throws {
        let detail = ImageAnalyzed(itemID: UUID(), analysisID: UUID(), model: "m", promptVersion: "p")
        let entry = try EventEntry(detail)
        #expect(entry.source == "collections.analyzer")
        #expect(entry.detailType == "ImageAnalyzed")
        #expect(try ImageAnalyzed.decodeEvent(from: entry.delivered(id: "1", time: Date())) == detail)
    }

    @Test func itemIDsMatchPythonsUUID5() {
        // python3 -c "import uuid; print(uuid.uuid5(uuid.UUID('6f1c5a3e-4b1d-4c47-9a55-2f3c8d0e7b21'), 's3://collections-local/demo/red.jpg'))"
        #expect(
            ItemID.of(bucket: "collections-local", key: "demo/red.jpg").uuidString.lowercased()
                == "a4116024-31e9-5e4b-b81f-ee53296d10fc")
        #expect(ItemID.of(bucket: "b", key: "u/a") != ItemID.of(bucket: "b", key: "u/b"))
    }
}

@Suite struct EventEncodingTests {
    @Test func writesIdsInLowercase() throws {
        let id = UUID(uuidString: "A4116024-31E9-5E4B-B81F-EE53296D10FC")!
        let entry = try EventEntry(ImageAnalyzed(itemID: id, analysisID: id, model: "m", promptVersion: "p"))
        #expect(entry.detail.contains("\"item_id\":\"a4116024-31e9-5e4b-b81f-ee53296d10fc\""))
        #expect(!entry.detail.contains("A4116024"))
    }
}
