import Foundation
import Testing

@testable import PipelineCore

@Suite struct PutEventsBatchingTests {
    private func entry(_ detailBytes: Int, type: String = "ImageProcessed") -> EventEntry {
        let padding = String(repeating: "x", count: max(0, detailBytes - 8))
        return EventEntry(source: "collections.test", detailType: type, detail: #"{"p":"\#(padding)"}"#)
    }

    @Test func batchesHoldAtMostTenEntries() {
        let batches = PutEventsBatching.batches((0..<25).map { _ in entry(100) })
        #expect(batches.map(\.count) == [10, 10, 5])
    }

    @Test func batchesStayUnderTheRequestSize() {
        let batches = PutEventsBatching.batches((0..<5).map { _ in entry(100_000) })
        #expect(batches.map(\.count) == [2, 2, 1])
    }

    @Test func anEntryOverTheLimitIsRefusedBeforeSending() {
        let error = #expect(throws: EventBusError.self) {
            try PutEventsBatching.validate([entry(10), entry(300_000)])
        }
        #expect(error?.code == .invalidEntry)
        #expect(error?.message.contains("entry 1 (ImageProcessed)") == true)
        #expect(error?.message.contains("under 262144 bytes") == true)
    }

    @Test func aDetailTypeOverTheLimitIsRefused() {
        #expect(throws: EventBusError.self) {
            try PutEventsBatching.validate([entry(10, type: String(repeating: "T", count: 129))])
        }
    }
}
