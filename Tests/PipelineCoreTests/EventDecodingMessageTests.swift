import Foundation
import PipelineCore
import TestSupport
import Testing

/// The messages of ``EventDecoding``: each names the field path, the type it must have and what
/// was found, instead of Foundation's `DecodingError` descriptions.
@Suite struct EventDecodingMessageTests {
    private let sample: Data
    init() throws { sample = try TestEnvironment.delivered("events/image-processed.json") }

    private func message(_ event: Data, _ code: EventError.Code) -> String {
        let error = #expect(throws: EventError.self) { try ImageProcessed.decodeEvent(from: event) }
        #expect(error?.code == code, "\(error?.message ?? "no error")")
        return error?.message ?? ""
    }

    private func detail(_ change: (inout [String: Any]) -> Void) -> Data {
        MalformedEvents.editDetail(sample, change)
    }

    @Test func notJSONStatesTheParsersReasonTheSizeAndTheStart() {
        #expect(
            message(Data("hello, world".utf8), .invalidJSON)
                == #"ImageProcessed event is not valid JSON: Invalid value around character 0 (12 bytes, starting "hello, world")"#
        )
        let truncated = sample.prefix(100)
        let text = message(truncated, .invalidJSON)
        #expect(text.hasPrefix("ImageProcessed event is not valid JSON: Unexpected end of file"))
        #expect(text.contains(#"(100 bytes, starting "{\"version\":\"0\""#))
        #expect(message(Data(), .invalidJSON) == "ImageProcessed event is not valid JSON: it is empty")
    }

    @Test func aLongStartIsCut() {
        let text = message(Data(("nope " + String(repeating: "y", count: 500)).utf8), .invalidJSON)
        #expect(text.contains("(505 bytes, starting \"nope yyy"))
        #expect(text.hasSuffix("…\")"))
        #expect(text.count < 200)
    }

    @Test func aValueThatIsNotAnObjectIsNamed() {
        #expect(
            message(Data("[1,2]".utf8), .invalidJSON)
                == "ImageProcessed event must be a JSON object, found an array of 2")
        #expect(
            message(Data("42".utf8), .invalidJSON) == "ImageProcessed event must be a JSON object, found a number (42)")
        #expect(message(Data("null".utf8), .invalidJSON) == "ImageProcessed event must be a JSON object, found null")
        #expect(
            message(MalformedEvents.edit(sample) { $0["detail"] = "x" }, .invalidField)
                == #"ImageProcessed event field "detail" must be an object, found a string ("x")"#)
    }

    @Test func aMistypedFieldNamesItsPathTypeAndValue() {
        #expect(
            message(detail { $0["width"] = "800" }, .invalidField)
                == #"ImageProcessed event field "detail.width" must be an integer, found a string ("800")"#)
        #expect(
            message(detail { $0["etag"] = true }, .invalidField)
                == #"ImageProcessed event field "detail.etag" must be a string, found true"#)
        #expect(
            message(detail { $0["bucket"] = ["a"] }, .invalidField)
                == #"ImageProcessed event field "detail.bucket" must be a string, found an array of 1"#)
    }

    /// Foundation reports these as invalid JSON without a path; the field is found by trying.
    @Test func aFractionOrAHugeNumberForAnIntegerIsFound() {
        #expect(
            message(detail { $0["height"] = 600.5 }, .invalidField)
                == #"ImageProcessed event field "detail.height" must be an integer, found a number (600.5)"#)
        let huge = detail { $0["bytes"] = NSDecimalNumber(string: "123456789012345678901234567890") }
        #expect(
            message(huge, .invalidField)
                == #"ImageProcessed event field "detail.bytes" must be an integer, found a number (123456789012345678901234567890)"#
        )
        // A fraction that is not decoded (`account`, found first) is not blamed.
        let both = MalformedEvents.edit(detail { $0["width"] = 1.5 }) { $0["account"] = 0.5 }
        #expect(message(both, .invalidField).contains(#""detail.width" must be an integer, found a number (1.5)"#))
    }

    @Test func anImpossibleValueSaysWhyAndWhatWasFound() {
        #expect(
            message(detail { $0["item_id"] = "not-a-uuid" }, .invalidField)
                == #"ImageProcessed event field "detail.item_id": must be a UUID, found a string ("not-a-uuid")"#)
        #expect(
            message(detail { $0["width"] = 0 }, .invalidField)
                == #"ImageProcessed event field "detail.width": must be positive, found a number (0)"#)
        #expect(
            message(detail { $0["user_id"] = "" }, .invalidField)
                == #"ImageProcessed event field "detail.user_id": must not be empty, found a string ("")"#)
    }

    @Test func missingAndNullFieldsAreNamed() {
        #expect(
            message(MalformedEvents.edit(sample) { $0["detail"] = nil }, .missingField)
                == #"ImageProcessed event is missing required field "detail""#)
        #expect(
            message(detail { $0["etag"] = NSNull() }, .missingField)
                == #"ImageProcessed event has null for required field "detail.etag""#)
        let analyzed = MalformedEvents.editDetail(try! TestEnvironment.delivered("events/image-analyzed.json")) {
            $0["prompt_version"] = nil
        }
        let error = #expect(throws: EventError.self) { try ImageAnalyzed.decodeEvent(from: analyzed) }
        #expect(error?.message == #"ImageAnalyzed event is missing required field "detail.prompt_version""#)
    }

    @Test func pathsThroughArraysUseIndexes() {
        let records =
            #"{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"u/a.jpg","size":"9"}}}]}"#
        let error = #expect(throws: EventError.self) {
            try UploadEventParser(ignoredPrefixes: []).parse(Data(records.utf8))
        }
        #expect(
            error?.message
                == #"upload event field "Records[0].s3.object.size" must be an integer, found a string ("9")"#)
    }

    @Test func withoutTheBytesTheMessageStillNamesTheField() {
        let failure = DecodingError.typeMismatch(
            Int.self, .init(codingPath: [Key("detail"), Key("width")], debugDescription: "found a string"))
        #expect(
            EventDecoding.describe(failure, what: "event").message == #"event field "detail.width" must be an integer"#)
    }

    @Test func errorsReportTheirCodeAsTheLambdaErrorType() {
        let body = LambdaErrorBody(EventError(.missingField, "x is missing"))
        #expect(body == LambdaErrorBody(errorType: "EventError.missingField", errorMessage: "x is missing"))
        struct Other: Error {}
        #expect(LambdaErrorBody(Other()).errorType == "Other")
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
