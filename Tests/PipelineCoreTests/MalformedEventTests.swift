import Foundation
import PipelineCore
import TestSupport
import Testing

/// Malformed events in memory: every case the binaries are fed (``MalformedEvents``) fails with
/// the same error type and message fragments when decoded as each function decodes it, and the
/// routing messages name what came and what is accepted.
@Suite struct MalformedEventTests {
    /// The decoding each function does before any work (``EventRunner``): one pass into its
    /// stage's event, with the size check; for ImageProcessor, its keys too.
    private static func decodeLikeTheFunction(_ function: String, _ event: Data) throws {
        switch function {
        case "ImageProcessor":
            // The stage then reads each record's key (S3's form encoding) before any work.
            if case .event(let upload) = try Invocation<UploadEvent>.decode(event, what: ImageProcessingStage.eventName)
            {
                _ = try UploadEventParser(ignoredPrefixes: ["thumbnails/"]).decide(upload)
            }
        case "Analyzer": _ = try Invocation<AnalyzerEvent>.decode(event, what: AnalysisStage.eventName)
        default: _ = try Invocation<DeliveredEvent<ImageAnalyzed>>.decode(event, what: EmbeddingStage.eventName)
        }
    }

    /// The routing fields alone, checked against `accepted` as a stage's one-pass decode does.
    private static func route(_ event: Data, accepting accepted: [any PipelineEventDetail.Type]) throws
        -> EventBridgeEnvelope
    {
        try EventDecoding.decode(
            Routed.self, from: event, what: "Analyzer event", userInfo: [Routed.key: Routed.Accepted(list: accepted)]
        ).envelope
    }

    private struct Routed: Decodable {
        struct Accepted: Sendable { var list: [any PipelineEventDetail.Type] }
        static let key = CodingUserInfoKey(rawValue: "accepted")!
        var envelope: EventBridgeEnvelope

        init(from decoder: any Decoder) throws {
            let accepted = (decoder.userInfo[Self.key] as? Accepted)?.list ?? []
            envelope = try EventBridgeEnvelope.route(decoder, function: "Analyzer", accepting: accepted)
        }
    }

    @Test(arguments: ["ImageProcessor", "Analyzer", "Embedder"])
    func everyCatalogueCaseFailsAsExpected(function: String) throws {
        let cases =
            switch function {
            case "ImageProcessor": try MalformedEvents.imageProcessor()
            case "Analyzer": try MalformedEvents.analyzer()
            default: try MalformedEvents.embedder()
            }
        #expect(cases.count >= 14)
        for bad in cases {
            do {
                try Self.decodeLikeTheFunction(function, bad.event)
                Issue.record("\(function) accepted \(bad.name)")
            } catch let error as EventError {
                let problem = bad.mismatch(errorType: LambdaErrorBody(error).errorType, message: error.message)
                #expect(problem == nil, "\(function): \(problem ?? "")")
            }
        }
    }

    @Test func theValidSamplesPass() throws {
        try Self.decodeLikeTheFunction("ImageProcessor", MalformedEvents.upload)
        try Self.decodeLikeTheFunction("Analyzer", TestEnvironment.delivered("events/image-processed.json"))
        try Self.decodeLikeTheFunction("Embedder", TestEnvironment.delivered("events/image-analyzed.json"))
    }

    @Test func theSizeLimitStatesSizeAndLimit() throws {
        try EventSizeLimit.check(size: EventSizeLimit.bytes)
        let error = #expect(throws: EventError.self) { try EventSizeLimit.check(size: 262_145) }
        #expect(error?.code == .tooLarge)
        #expect(
            error?.message
                == "the event is 262145 bytes, over the limit of 262144 bytes (256 KiB); it was refused without being parsed"
        )
        let local = #expect(throws: EventError.self) {
            try LocalInvocation.events(in: Data(repeating: UInt8(ascii: " "), count: 300_000))
        }
        #expect(local?.message.hasPrefix("the event is 300000 bytes") == true)
    }

    @Test func uploadEventsOfTheWrongShapeAreNamed() {
        let parser = UploadEventParser(ignoredPrefixes: [])
        func message(_ json: String) -> String {
            (#expect(throws: EventError.self) { try parser.parse(Data(json.utf8)) })?.message ?? ""
        }
        #expect(
            message(#"{"b":1,"a":2}"#)
                == #"upload event is neither an S3 notification ("Records") nor an EventBridge event ("detail-type"); its fields are "a", "b""#
        )
        #expect(message("{}").hasSuffix("; it has no fields"))
        #expect(message(#"{"Records":[]}"#) == #"S3 notification has an empty "Records" list: it names no object"#)
        #expect(
            message(#"{"detail-type":"Object Created","source":"someone.else","detail":{}}"#)
                == #"ImageProcessor accepts S3 events ("Object Created" from aws.s3 or collections.replay), not detail-type "Object Created" from "someone.else""#
        )
        #expect(message(#"{"detail-type":"Object Created","detail":{}}"#).hasSuffix("without a source"))
    }

    /// A third detail type from the ImageProcessor's source, as the Analyzer will accept two.
    private struct ImageRetried: PipelineEventDetail {
        static let source = "collections.imageprocessor"
        static let detailType = "ImageRetried"
    }

    @Test func theEnvelopeCheckListsEveryAcceptedDetailType() throws {
        let processed = try TestEnvironment.delivered("events/image-processed.json")
        let envelope = try Self.route(processed, accepting: [ImageProcessed.self, ImageRetried.self])
        #expect(envelope.detailType == "ImageProcessed" && envelope.source == "collections.imageprocessor")

        func message(_ event: Data, _ accepted: [any PipelineEventDetail.Type]) -> String {
            let error = #expect(throws: EventError.self) {
                try Self.route(event, accepting: accepted)
            }
            #expect(error?.code == .unsupportedEvent)
            return error?.message ?? ""
        }
        let deleted = MalformedEvents.edit(processed) { $0["detail-type"] = "ImageDeleted" }
        #expect(
            message(deleted, [ImageProcessed.self])
                == #"Analyzer accepts detail-type "ImageProcessed" from collections.imageprocessor, not detail-type "ImageDeleted" from "collections.imageprocessor""#
        )
        #expect(
            message(deleted, [ImageProcessed.self, ImageRetried.self, ImageAnalyzed.self])
                == #"Analyzer accepts detail-type "ImageProcessed" or "ImageRetried" from collections.imageprocessor, or "ImageAnalyzed" from collections.analyzer, not detail-type "ImageDeleted" from "collections.imageprocessor""#
        )
        let elsewhere = MalformedEvents.edit(processed) { $0["source"] = "someone.else" }
        #expect(
            message(elsewhere, [ImageProcessed.self]).hasSuffix(
                #"not detail-type "ImageProcessed" from "someone.else""#))
        #expect(
            message(MalformedEvents.upload, [ImageProcessed.self])
                == #"Analyzer accepts detail-type "ImageProcessed" from collections.imageprocessor; this event has no "detail-type": it is an S3 notification ("Records")"#
        )
        let notJSON = #expect(throws: EventError.self) {
            try Self.route(Data("[]".utf8), accepting: [ImageProcessed.self])
        }
        #expect(notJSON?.message == "Analyzer event must be a JSON object, found an array of 0")
    }
}
