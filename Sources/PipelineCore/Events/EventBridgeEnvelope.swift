import Foundation

/// The fields of an EventBridge event that route it, decoded without its `detail`.
public struct EventBridgeEnvelope: Decodable, Sendable {
    /// The event id.
    public var id: String?
    /// Such as `Object Created` or `ImageProcessed`.
    public var detailType: String
    /// Such as `aws.s3` or `collections.imageprocessor`.
    public var source: String
    /// When the event happened, as EventBridge reports it.
    public var time: String?

    enum CodingKeys: String, CodingKey {
        case id, source, time
        case detailType = "detail-type"
    }

    /// Decodes `detail-type` first, so that an event without routing fields is named by it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        detailType = try container.decode(String.self, forKey: .detailType)
        source = try container.decode(String.self, forKey: .source)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        time = try container.decodeIfPresent(String.self, forKey: .time)
    }

    init(id: String?, detailType: String, source: String, time: String?) {
        self.id = id
        self.detailType = detailType
        self.source = source
        self.time = time
    }
}

extension EventBridgeEnvelope {
    /// Reads the routing fields of the event `decoder` is at and checks that `function` accepts
    /// its detail-type and source, so that the message names both what came and everything
    /// accepted. The caller then decodes the detail of the type that came from the same decoder:
    /// the event is parsed once.
    /// - Parameters:
    ///   - decoder: the decoder at the event's root.
    ///   - function: the function's name for the message, such as `Analyzer`.
    ///   - accepted: the detail types the function handles.
    /// - Throws: ``EventError`` `unsupportedEvent` for another detail-type or source, or for an
    ///   event that is not from EventBridge; `DecodingError` when a routing field has the wrong type.
    public static func route(
        _ decoder: any Decoder, function: String, accepting accepted: [any PipelineEventDetail.Type]
    ) throws -> EventBridgeEnvelope {
        let fields = try decoder.container(keyedBy: AnyKey.self)
        let expected = describe(accepted)
        guard let detailType = try fields.decodeIfPresent(String.self, forKey: "detail-type") else {
            let shape =
                fields.contains("Records") ? "an S3 notification (\"Records\")" : "not an EventBridge event"
            throw EventError(
                .unsupportedEvent, "\(function) accepts \(expected); this event has no \"detail-type\": it is \(shape)")
        }
        let source = try fields.decodeIfPresent(String.self, forKey: "source")
        guard let source, accepted.contains(where: { $0.detailType == detailType && $0.source == source }) else {
            let from = source.map { "from \(quoted($0))" } ?? "without a source"
            throw EventError(
                .unsupportedEvent, "\(function) accepts \(expected), not detail-type \(quoted(detailType)) \(from)")
        }
        return EventBridgeEnvelope(
            id: try fields.decodeIfPresent(String.self, forKey: "id"), detailType: detailType, source: source,
            time: try fields.decodeIfPresent(String.self, forKey: "time"))
    }

    /// `detail-type "A" or "B" from s1, or "C" from s2`: the accepted types grouped by source.
    static func describe(_ accepted: [any PipelineEventDetail.Type]) -> String {
        var sources: [String] = []
        var types: [String: [String]] = [:]
        for detail in accepted {
            if types[detail.source] == nil { sources.append(detail.source) }
            types[detail.source, default: []].append(quoted(detail.detailType))
        }
        let groups = sources.map { "\(types[$0]!.joined(separator: " or ")) from \($0)" }
        return "detail-type " + groups.joined(separator: ", or ")
    }
}

/// An EventBridge event with a typed `detail`.
struct EventBridgeEvent<Detail: Decodable>: Decodable {
    var detail: Detail
}

/// An entry to send with EventBridge `PutEvents`.
public struct EventEntry: Sendable, Hashable, Codable {
    /// The `Source` field.
    public var source: String
    /// The `DetailType` field.
    public var detailType: String
    /// The `Detail` field: a JSON object, as text.
    public var detail: String
    /// The bus to send it on; nil for the configured default.
    public var eventBusName: String?
    /// The X-Ray trace header it carries on (``TraceHeader``); nil for none.
    public var traceHeader: String?

    enum CodingKeys: String, CodingKey {
        case source = "Source"
        case detailType = "DetailType"
        case detail = "Detail"
        case eventBusName = "EventBusName"
        case traceHeader = "TraceHeader"
    }

    /// Creates an entry from its fields.
    public init(source: String, detailType: String, detail: String, eventBusName: String? = nil) {
        self.source = source
        self.detailType = detailType
        self.detail = detail
        self.eventBusName = eventBusName
    }

    /// Creates an entry from one of our detail types, carrying the trace of the event being
    /// handled (``TraceHeader/current``), if any.
    public init<Detail: PipelineEventDetail>(_ detail: Detail, eventBusName: String? = nil) throws {
        self.source = Detail.source
        self.detailType = Detail.detailType
        self.detail = try String(decoding: PipelineJSON.encoder.encode(detail), as: UTF8.self)
        self.eventBusName = eventBusName
        self.traceHeader = TraceHeader.sendable(TraceHeader.current)
    }

    /// Wraps this entry the way EventBridge delivers it to a target, for local delivery and tests.
    /// - Parameters:
    ///   - id: the event id.
    ///   - time: the event time.
    public func delivered(id: String, time: Date, region: String = "us-east-1", account: String = "000000000000")
        -> Data
    {
        let timestamp = ISO8601DateFormatter().string(from: time)
        let envelope =
            "{\"version\":\"0\",\"id\":\"\(id)\",\"detail-type\":\(PipelineJSON.quote(detailType)),"
            + "\"source\":\(PipelineJSON.quote(source)),\"account\":\"\(account)\",\"time\":\"\(timestamp)\","
            + "\"region\":\"\(region)\",\"resources\":[],\"detail\":\(detail)}"
        return Data(envelope.utf8)
    }
}

/// The JSON settings every part of the pipeline shares.
public enum PipelineJSON {
    /// Sorted keys and no escaped slashes, so output is stable and readable.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// A JSON string literal for `value`.
    public static func quote(_ value: String) -> String {
        // Encoding a String never fails.
        String(decoding: (try? encoder.encode(value)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}
