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

    enum CodingKeys: String, CodingKey {
        case source = "Source"
        case detailType = "DetailType"
        case detail = "Detail"
        case eventBusName = "EventBusName"
    }

    /// Creates an entry from its fields.
    public init(source: String, detailType: String, detail: String, eventBusName: String? = nil) {
        self.source = source
        self.detailType = detailType
        self.detail = detail
        self.eventBusName = eventBusName
    }

    /// Creates an entry from one of our detail types.
    public init<Detail: PipelineEventDetail>(_ detail: Detail, eventBusName: String? = nil) throws {
        self.source = Detail.source
        self.detailType = Detail.detailType
        self.detail = try String(decoding: PipelineJSON.encoder.encode(detail), as: UTF8.self)
        self.eventBusName = eventBusName
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
