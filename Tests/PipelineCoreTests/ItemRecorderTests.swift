import Foundation
import Logging
import Testing

@testable import PipelineCore

/// The shared writer of item outcomes: refusals of the current version are recorded, those of a
/// replaced or deleted version are not, and a stage reads back only its own refusal.
@Suite struct ItemRecorderTests {
    private let logger = Logger(label: "recorder-test")

    private func failed(_ etag: String, key: String = "u1/a.jpg") -> ImageFailed {
        ImageFailed(
            itemID: ItemID.of(bucket: "b", key: key), userID: "u1", bucket: "b", originalKey: key, etag: etag,
            bytes: 3, stage: "ImageProcessor", errorCode: "corrupt", errorMessage: "bad bytes")
    }

    @Test func recordsOnlyTheCurrentVersionsRefusal() async throws {
        let storage = InMemoryObjectStore()
        try await storage.put(bucket: "b", key: "u1/a.jpg", data: Data("abc".utf8), contentType: "image/jpeg")
        let current = try await storage.head(bucket: "b", key: "u1/a.jpg").etag
        let store = InMemoryStore()
        let recorder = ItemRecorder(store: store, storage: storage)

        let replaced = try await recorder.record(failed("0123"), logger: logger)
        guard case .ignored(let reason) = replaced else {
            Issue.record("a replaced version was recorded")
            return
        }
        #expect(reason.hasPrefix("superseded"))
        #expect(try await recorder.record(failed("x", key: "u1/gone.jpg"), logger: logger) != .recorded)
        #expect(try await recorder.record(failed(current), logger: logger) == .recorded)

        let itemID = ItemID.of(bucket: "b", key: "u1/a.jpg")
        let mine = try await recorder.recordedRefusal(itemID: itemID, etag: current, stage: "ImageProcessor")
        #expect(mine?.upload.errorCode == "corrupt")
        #expect(try await recorder.recordedRefusal(itemID: itemID, etag: current, stage: "Analyzer") == nil)
    }
}
