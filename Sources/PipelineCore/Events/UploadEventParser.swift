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
        try decide(EventDecoding.decode(UploadEvent.self, from: data, what: "upload event"))
    }

    /// One decision per object a decoded upload event names.
    public func decide(_ event: UploadEvent) throws -> [UploadDecision] {
        switch event {
        case .testEvent: return [.ignore(reason: "s3:TestEvent")]
        case .notification(let records): return try records.map(decide)
        case .otherDetailType(let detailType): return [.ignore(reason: "not an Object Created event: \(detailType)")]
        case .objectCreated(let detail):
            let object = detail.object
            return [
                decide(
                    S3ObjectReference(
                        bucket: detail.bucket.name, key: object.key, size: object.size, etag: object.etag,
                        versionID: Self.version(object.versionID), sequencer: object.sequencer))
            ]
        }
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
}
