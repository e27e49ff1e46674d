import Foundation
import PipelineCore

/// One bad event and what a function must report about it.
public struct MalformedEvent: Sendable, CustomStringConvertible {
    /// What is wrong, for test output.
    public var name: String
    /// The event bytes as delivered.
    public var event: Data
    /// The expected `errorType`, such as `EventError.missingField`.
    public var errorType: String
    /// Fragments the `errorMessage` must contain: the field path, the type, what was found.
    public var mentions: [String]

    public var description: String { name }

    /// What is wrong with a reported error, or nil when it is the one expected.
    /// - Parameters:
    ///   - type: the `Lambda-Runtime-Function-Error-Type` header.
    ///   - body: the error body `{"errorType", "errorMessage"}`.
    public func mismatch(type: String?, body: String) -> String? {
        guard let reported = try? JSONDecoder().decode(LambdaErrorBody.self, from: Data(body.utf8)) else {
            return "\(name): the error body is not {errorType, errorMessage}: \(body)"
        }
        return mismatch(errorType: type ?? "(no header)", message: reported.errorMessage)
            ?? (reported.errorType == errorType ? nil : "\(name): body errorType \(reported.errorType)")
    }

    /// What is wrong with an error's type and message, or nil when they are the ones expected.
    public func mismatch(errorType: String, message: String) -> String? {
        guard errorType == self.errorType else {
            return "\(name): errorType \(errorType), expected \(self.errorType) (\(message))"
        }
        let missing = mentions.filter { !message.contains($0) }
        return missing.isEmpty ? nil : "\(name): \(quote(message)) does not mention \(missing)"
    }

    private func quote(_ text: String) -> String { "\"\(text)\"" }
}

/// Bad events for each function, shared by the in-memory message tests and the binary tests.
public enum MalformedEvents {
    /// An S3 notification for `collections-local/demo/red.jpg`, ImageProcessor's valid input.
    public static let upload = S3EventSamples.put(
        bucket: "collections-local", key: "demo/red.jpg", size: 11893, etag: "0123456789abcdef0123456789abcdef")

    /// Bad events for ImageProcessor.
    public static func imageProcessor() throws -> [MalformedEvent] {
        let objectCreated = try TestEnvironment.data("events/s3-object-created.json")
        let records = { (change: (inout [String: Any]) -> Void) in
            edit(upload) { event in
                var record = (event["Records"] as! [[String: Any]])[0]
                change(&record)
                event["Records"] = [record]
            }
        }
        let object = { (change: (inout [String: Any]) -> Void) in
            records { record in
                var s3 = record["s3"] as! [String: Any]
                var object = s3["object"] as! [String: Any]
                change(&object)
                s3["object"] = object
                record["s3"] = s3
            }
        }
        return try shared(valid: upload)
            + [
                bad(
                    "neither shape", #"{"hello":"world"}"#, .unsupportedEvent, "neither an S3 notification", #""hello""#
                ),
                bad("no records", #"{"Records":[]}"#, .invalidField, #"empty "Records" list"#),
                bad("record without s3", records { $0["s3"] = nil }, .missingField, #"field "Records[0].s3""#),
                bad(
                    "record without key", object { $0["key"] = nil }, .missingField,
                    #"field "Records[0].s3.object.key""#),
                bad(
                    "size as a string", object { $0["size"] = "11893" }, .invalidField,
                    #""Records[0].s3.object.size" must be an integer"#, #"found a string ("11893")"#),
                bad("bad key escape", object { $0["key"] = "demo/%ZZ.jpg" }, .malformedKey, #""demo/%ZZ.jpg""#),
                bad(
                    "Object Created without detail", edit(objectCreated) { $0["detail"] = nil }, .missingField,
                    #"missing required field "detail""#),
                bad(
                    "Object Created without bucket", editDetail(objectCreated) { $0["bucket"] = nil },
                    .missingField, #"missing required field "detail.bucket""#),
                bad(
                    "event from another source", try TestEnvironment.delivered("events/image-processed.json"),
                    .unsupportedEvent, #""ImageProcessed""#, #""collections.imageprocessor""#, "aws.s3"),
                bad(
                    "detail-type as a number", edit(objectCreated) { $0["detail-type"] = 5 }, .invalidField,
                    #""detail-type" must be a string"#, "found a number (5)"),
            ]
    }

    /// Bad events for the Analyzer, which takes `ImageProcessed`.
    public static func analyzer() throws -> [MalformedEvent] {
        let valid = try TestEnvironment.delivered("events/image-processed.json")
        return try shared(valid: valid)
            + [
                bad("without detail", edit(valid) { $0["detail"] = nil }, .missingField, #"field "detail""#),
                missing("item_id", in: valid), missing("etag", in: valid), missing("width", in: valid),
                bad(
                    "width as a string", editDetail(valid) { $0["width"] = "800" }, .invalidField,
                    #""detail.width" must be an integer"#, #"found a string ("800")"#),
                bad(
                    "width as a fraction", editDetail(valid) { $0["width"] = 800.5 }, .invalidField,
                    #""detail.width" must be an integer"#, "found a number (800.5)"),
                bad(
                    "height of zero", editDetail(valid) { $0["height"] = 0 }, .invalidField,
                    #""detail.height": must be positive"#, "found a number (0)"),
                bad(
                    "item_id not a UUID", editDetail(valid) { $0["item_id"] = "not-a-uuid" }, .invalidField,
                    #""detail.item_id": must be a UUID"#, #"found a string ("not-a-uuid")"#),
                bad(
                    "unknown detail-type", edit(valid) { $0["detail-type"] = "ImageDeleted" }, .unsupportedEvent,
                    #""ImageDeleted""#, "ImageProcessed"),
                bad("an S3 notification", upload, .unsupportedEvent, #"no "detail-type""#, "S3 notification"),
            ]
    }

    /// Bad events for the Embedder, which takes `ImageAnalyzed`.
    public static func embedder() throws -> [MalformedEvent] {
        let valid = try TestEnvironment.delivered("events/image-analyzed.json")
        return try shared(valid: valid)
            + [
                bad("without detail", edit(valid) { $0["detail"] = nil }, .missingField, #"field "detail""#),
                missing("analysis_id", in: valid), missing("prompt_version", in: valid),
                bad(
                    "analysis_id as a number", editDetail(valid) { $0["analysis_id"] = 42 }, .invalidField,
                    #""detail.analysis_id" must be a string"#, "found a number (42)"),
                bad(
                    "item_id not a UUID", editDetail(valid) { $0["item_id"] = "0000" }, .invalidField,
                    #""detail.item_id": must be a UUID"#, #"found a string ("0000")"#),
                bad(
                    "an ImageProcessed event", try TestEnvironment.delivered("events/image-processed.json"),
                    .unsupportedEvent, #""ImageProcessed""#, "ImageAnalyzed"),
                bad("an S3 notification", upload, .missingField, #""detail-type""#),
            ]
    }

    /// Bad whatever the function: not JSON, cut short, empty, not an object, too large.
    private static func shared(valid: Data) throws -> [MalformedEvent] {
        let truncated = valid.prefix(valid.count / 2)
        var padded = try JSONSerialization.jsonObject(with: valid) as! [String: Any]
        padded["padding"] = String(repeating: "x", count: EventSizeLimit.bytes)
        let oversized = try JSONSerialization.data(withJSONObject: padded)
        return [
            bad("not JSON", "hello, world", .invalidJSON, "is not valid JSON", "12 bytes", #"starting "hello, world""#),
            bad(
                "truncated JSON", truncated, .invalidJSON, "is not valid JSON", "end of file",
                "\(truncated.count) bytes"),
            bad("empty body", Data(), .invalidJSON, "is not valid JSON: it is empty"),
            bad(
                "an array", "[\(String(decoding: valid, as: UTF8.self))]", .invalidJSON, "must be a JSON object",
                "found an array of 1"),
            bad("a number", "42", .invalidJSON, "must be a JSON object", "found a number (42)"),
            bad("null", "null", .invalidJSON, "must be a JSON object", "found null"),
            bad("oversized", oversized, .tooLarge, "\(oversized.count) bytes", "limit of 262144 bytes (256 KiB)"),
        ]
    }

    private static func missing(_ field: String, in valid: Data) -> MalformedEvent {
        bad(
            "without \(field)", editDetail(valid) { $0[field] = nil }, .missingField,
            "missing required field \"detail.\(field)\"")
    }

    private static func bad(_ name: String, _ event: String, _ code: EventError.Code, _ mentions: String...)
        -> MalformedEvent
    {
        MalformedEvent(name: name, event: Data(event.utf8), errorType: "EventError.\(code)", mentions: mentions)
    }

    private static func bad(_ name: String, _ event: Data, _ code: EventError.Code, _ mentions: String...)
        -> MalformedEvent
    {
        MalformedEvent(name: name, event: event, errorType: "EventError.\(code)", mentions: mentions)
    }

    /// The event with its top-level object changed.
    public static func edit(_ event: Data, _ change: (inout [String: Any]) -> Void) -> Data {
        var object = (try? JSONSerialization.jsonObject(with: event)) as? [String: Any] ?? [:]
        change(&object)
        return (try? JSONSerialization.data(withJSONObject: object, options: .sortedKeys)) ?? Data()
    }

    /// The event with its `detail` changed.
    public static func editDetail(_ event: Data, _ change: (inout [String: Any]) -> Void) -> Data {
        edit(event) { object in
            var detail = object["detail"] as? [String: Any] ?? [:]
            change(&detail)
            object["detail"] = detail
        }
    }
}
