import Foundation

/// An upload event as ImageProcessor receives it, decoded in one pass: S3's test event, an S3
/// notification (`Records[]`), or an EventBridge event from S3 or a replay.
public enum UploadEvent: Decodable, Sendable {
    /// `s3:TestEvent`, which S3 sends when notifications are configured.
    case testEvent
    /// The records of an S3 notification (never empty).
    case notification([S3Notification.Record])
    /// The detail of an "Object Created" event.
    case objectCreated(S3ObjectCreatedDetail)
    /// Another detail-type from an accepted source, such as "Object Deleted".
    case otherDetailType(String)

    public init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: AnyKey.self)
        if try fields.decodeIfPresent(String.self, forKey: "Event") == "s3:TestEvent" {
            self = .testEvent
        } else if fields.contains("Records") {
            let records = try S3Notification(from: decoder).records
            guard !records.isEmpty else {
                throw EventError(.invalidField, "S3 notification has an empty \"Records\" list: it names no object")
            }
            self = .notification(records)
        } else if let detailType = try fields.decodeIfPresent(String.self, forKey: "detail-type") {
            let source = try fields.decodeIfPresent(String.self, forKey: "source")
            guard let source, UploadEventParser.objectCreatedSources.contains(source) else {
                let sources = UploadEventParser.objectCreatedSources.sorted().joined(separator: " or ")
                let from = source.map { "from \(quoted($0))" } ?? "without a source"
                throw EventError(
                    .unsupportedEvent,
                    "ImageProcessor accepts S3 events (\"Object Created\" from \(sources)), "
                        + "not detail-type \(quoted(detailType)) \(from)")
            }
            guard detailType == "Object Created" else {
                self = .otherDetailType(detailType)
                return
            }
            self = .objectCreated(try fields.decode(S3ObjectCreatedDetail.self, forKey: "detail"))
        } else {
            throw EventError(
                .unsupportedEvent,
                "upload event is neither an S3 notification (\"Records\") nor an EventBridge event (\"detail-type\"); "
                    + Self.describe(fields.allKeys.map(\.stringValue)))
        }
    }

    /// `its fields are a, b` or `it has no fields`, for a message about an event of neither shape.
    private static func describe(_ keys: [String]) -> String {
        let keys = keys.sorted()
        guard !keys.isEmpty else { return "it has no fields" }
        let shown = keys.prefix(10).map { quoted($0) }.joined(separator: ", ")
        return "its fields are " + shown + (keys.count > 10 ? " and \(keys.count - 10) more" : "")
    }
}
