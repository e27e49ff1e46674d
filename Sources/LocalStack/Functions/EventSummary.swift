import Foundation

/// What an event delivered to a function is about, for people reading failures and reports:
/// its `detail-type` and its subject, the object key (uploads, `ImageProcessed`) or the item id
/// (`ImageAnalyzed`).
public struct EventSummary: Sendable, Equatable {
    /// The event's `detail-type`; `?` when the body is not an EventBridge event.
    public var detailType: String
    /// The object key or item id; empty when the event names neither.
    public var subject: String

    /// Reads the summary from an event's JSON body.
    public init(body: String) {
        detailType = "?"
        subject = ""
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return }
        detailType = object["detail-type"] as? String ?? "?"
        let detail = object["detail"] as? [String: Any] ?? [:]
        let key = (detail["object"] as? [String: Any])?["key"] as? String
        subject = key ?? detail["original_key"] as? String ?? detail["item_id"] as? String ?? ""
    }
}
