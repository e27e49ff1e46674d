import Foundation

/// What ImageProcessor should do with one object an upload event named.
public enum UploadDecision: Sendable, Equatable {
    /// A new or replaced object to process.
    case process(S3ObjectReference)
    /// Something to skip, with the reason for the log.
    case ignore(reason: String)
}

/// Reads both ways S3 announces an upload: notification `Records[]` and EventBridge "Object Created".
public struct UploadEventParser: Sendable {
    /// Sources of "Object Created" events: S3's own, and ours for replays and backfills sent with
    /// `aws events put-events` (EventBridge refuses entries whose source starts with `aws.`).
    public static let objectCreatedSources: Set<String> = ["aws.s3", replaySource]
    /// The source of replayed "Object Created" events.
    public static let replaySource = "collections.replay"

    /// Key prefixes the pipeline writes itself; objects under them never start the pipeline again.
    public var ignoredPrefixes: [String]

    /// Creates a parser.
    /// - Parameter ignoredPrefixes: our own output prefixes, such as `thumbnails/`.
    public init(ignoredPrefixes: [String]) {
        self.ignoredPrefixes = ignoredPrefixes
    }

    /// Parses an event into one decision per object it names.
    /// - Parameter data: the event JSON as delivered.
    /// - Throws: ``EventError`` when the event is not JSON or not one of the accepted shapes.
    public func parse(_ data: Data) throws -> [UploadDecision] {
        let probe = try EventDecoding.decode(Probe.self, from: data, what: "upload event")
        if probe.event == "s3:TestEvent" {
            return [.ignore(reason: "s3:TestEvent")]
        }
        if probe.records != nil {
            let notification = try EventDecoding.decode(S3Notification.self, from: data, what: "S3 notification")
            guard !notification.records.isEmpty else {
                throw EventError(.invalidField, "S3 notification has an empty \"Records\" list: it names no object")
            }
            return try notification.records.map(decide)
        }
        if let detailType = probe.detailType {
            guard let source = probe.source, Self.objectCreatedSources.contains(source) else {
                let sources = Self.objectCreatedSources.sorted().joined(separator: " or ")
                let from = probe.source.map { "from \(quoted($0))" } ?? "without a source"
                throw EventError(
                    .unsupportedEvent,
                    "ImageProcessor accepts S3 events (\"Object Created\" from \(sources)), "
                        + "not detail-type \(quoted(detailType)) \(from)")
            }
            guard detailType == "Object Created" else {
                return [.ignore(reason: "not an Object Created event: \(detailType)")]
            }
            let event = try EventDecoding.decode(
                EventBridgeEvent<S3ObjectCreatedDetail>.self, from: data, what: "S3 Object Created event")
            let object = event.detail.object
            let reference = S3ObjectReference(
                bucket: event.detail.bucket.name, key: object.key, size: object.size, etag: object.etag,
                versionID: Self.version(object.versionID), sequencer: object.sequencer)
            return [decide(reference)]
        }
        throw EventError(
            .unsupportedEvent,
            "upload event is neither an S3 notification (\"Records\") nor an EventBridge event (\"detail-type\"); "
                + Self.fields(of: data))
    }

    /// `its fields are a, b` or `it has no fields`, for a message about an event of neither shape.
    private static func fields(of data: Data) -> String {
        let keys = (JSONDocument(data)?.root as? [String: Any])?.keys.sorted() ?? []
        guard !keys.isEmpty else { return "it has no fields" }
        let shown = keys.prefix(10).map { quoted($0) }.joined(separator: ", ")
        return "its fields are " + shown + (keys.count > 10 ? " and \(keys.count - 10) more" : "")
    }

    private func decide(_ record: S3Notification.Record) throws -> UploadDecision {
        guard record.eventName.hasPrefix("ObjectCreated:") else {
            return .ignore(reason: "not an object creation: \(record.eventName)")
        }
        let object = record.s3.object
        let reference = S3ObjectReference(
            bucket: record.s3.bucket.name, key: try S3KeyDecoding.decode(object.key), size: object.size,
            etag: object.eTag, versionID: Self.version(object.versionId), sequencer: object.sequencer)
        return decide(reference)
    }

    /// A version id, or nil for none: S3 reports objects of unversioned buckets as version `"null"`.
    static func version(_ id: String?) -> String? {
        id == "null" || id?.isEmpty == true ? nil : id
    }

    private func decide(_ reference: S3ObjectReference) -> UploadDecision {
        if let prefix = ignoredPrefixes.first(where: { reference.key.hasPrefix($0) }) {
            return .ignore(reason: "\(quoted(reference.key)) is under our own output prefix \(prefix)")
        }
        return .process(reference)
    }

    private struct Probe: Decodable {
        var records: [EventDecoding.Ignored]?
        var event: String?
        var detailType: String?
        var source: String?

        enum CodingKeys: String, CodingKey {
            case records = "Records"
            case event = "Event"
            case detailType = "detail-type"
            case source
        }
    }
}
