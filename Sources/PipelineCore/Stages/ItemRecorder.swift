import Foundation
import Logging

/// The one writer of an item's outcome, shared by the stages: an upload another stage refused
/// (ImageProcessor has no database: its `ImageFailed` is routed here by the Analyzer), a refusal
/// of the Analyzer's own, and the item row saved with its analysis; and the reader of a recorded
/// refusal. Every write passes the store's version guard, and an event about a version that was
/// replaced or deleted is ignored before anything is written.
public struct ItemRecorder: Sendable {
    private let store: any AnalysisStore
    private let storage: any ObjectStore

    /// Creates a recorder over the item store and the bucket (to tell a current version from a
    /// replaced one).
    public init(store: any AnalysisStore, storage: any ObjectStore) {
        self.store = store
        self.storage = storage
    }

    /// What recording an event did.
    public enum Outcome: Sendable, Equatable {
        /// The item row now holds it.
        case recorded
        /// Nothing was written, for this reason (a newer version exists or was stored).
        case ignored(String)
    }

    /// Records an upload that `failed.stage` refused for good.
    public func record(_ failed: ImageFailed, logger: Logger) async throws -> Outcome {
        if let etag = failed.etag,
            let stale = try await staleness(bucket: failed.bucket, key: failed.originalKey, etag: etag)
        {
            logger.info("ignored", metadata: ["reason": "\(stale)"])
            return .ignored(stale)
        }
        guard try await store.recordFailure(ItemFailure(failed)) else {
            let reason = "superseded: a newer version of s3://\(failed.bucket)/\(failed.originalKey) is stored"
            logger.info("ignored", metadata: ["reason": "\(reason)"])
            return .ignored(reason)
        }
        logger.info(
            "recorded the failure", metadata: ["stage": "\(failed.stage)", "error_code": "\(failed.errorCode)"])
        return .recorded
    }

    /// Records a refusal of the processed version; false when a newer version is stored.
    public func recordRefusal(_ failure: ItemFailure) async throws -> Bool {
        try await store.recordFailure(failure)
    }

    /// The refusal `stage` recorded for this version, if it is still the item's state.
    public func recordedRefusal(itemID: UUID, etag: String, stage: String) async throws -> ItemFailure? {
        guard let failure = try await store.recordedFailure(itemID: itemID, etag: etag),
            failure.upload.stage == stage
        else { return nil }
        return failure
    }

    /// Saves the item row and its analysis together; nil when a newer version is stored.
    public func save(_ record: AnalysisRecord) async throws -> UUID? {
        try await store.save(record)
    }

    /// Why an event about version `etag` of an object no longer applies, or nil when it is current.
    public func staleness(bucket: String, key: String, etag: String) async throws -> String? {
        do {
            let head = try await storage.head(bucket: bucket, key: key)
            return head.etag == etag
                ? nil : "superseded: s3://\(bucket)/\(key) is now version \(head.etag), not \(etag)"
        } catch let error as ObjectStoreError where error.code == .notFound {
            return "deleted: s3://\(bucket)/\(key) no longer exists"
        }
    }
}
