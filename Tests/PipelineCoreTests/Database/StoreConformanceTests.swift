import Foundation
import PipelineCore
import TestSupport
import Testing

/// The same rules, checked on the memory double and on PostgreSQL, so the double cannot drift:
/// the version guard, failures of the current version only, and idempotent upserts.
@Suite struct StoreConformanceTests {
    enum Kind: String, CaseIterable, Sendable {
        case memory, postgres
    }

    typealias Store = AnalysisStore & EmbeddingStore

    /// Runs `body` on a fresh store of `kind`; PostgreSQL only when the database tests are on.
    private func onStore(_ kind: Kind, _ name: String, _ body: (any Store) async throws -> Void) async throws {
        switch kind {
        case .memory:
            try await body(InMemoryStore())
        case .postgres:
            guard TestEnvironment.databaseEnabled else { return }
            try await ScratchDatabase.with("conformance_\(name)") { database in
                try await body(PostgresStore(database: database))
            }
        }
    }

    private func record(_ etag: String, sequencer: String?, summary: String = "s") -> AnalysisRecord {
        let key = "u1/conformance.jpg"
        let event = ImageProcessed(
            itemID: ItemID.of(bucket: "b", key: key), userID: "u1", bucket: "b", originalKey: key,
            thumbnailKey: "thumbnails/\(key).jpg", contentType: "image/jpeg", width: 40, height: 30, bytes: 1234,
            etag: etag, renditionKey: "renditions/\(key).jpg", sequencer: sequencer)
        return AnalysisRecord(
            item: ItemRecord(event), model: "m", promptVersion: "p",
            output: AnalysisOutput(
                analysis: Analysis(category: .other, summary: summary, description: "d", tags: ["t"]), rawJSON: "{}",
                usage: TokenUsage(inputTokens: 1, outputTokens: 1)))
    }

    private func failure(_ etag: String, sequencer: String?, code: String = "corrupt") -> ItemFailure {
        ItemFailure(record(etag, sequencer: sequencer).item.event, stage: "Analyzer", code: code, message: "m")
    }

    @Test(arguments: Kind.allCases)
    func anOlderVersionNeverReplacesANewerOne(kind: Kind) async throws {
        try await onStore(kind, "versions") { (store: any Store) async throws in
            let new = record("new", sequencer: "10000")
            #expect(try await store.save(new) == new.analysisID)
            // Sequencers of different lengths compare once left-padded: 0FFF < 10000.
            #expect(try await store.save(record("old", sequencer: "0FFF")) == nil)
            #expect(try await store.recordFailure(failure("old", sequencer: "0FFF")) == false)
            #expect(try await store.analyses([new.analysisID]).map(\.isCurrent) == [true])
            // No ordering known: the write goes through.
            #expect(try await store.save(record("unordered", sequencer: nil)) != nil)
            #expect(try await store.analyses([new.analysisID]).map(\.isCurrent) == [false])
        }
    }

    @Test(arguments: Kind.allCases)
    func aFailureIsOnlyReportedForTheCurrentVersion(kind: Kind) async throws {
        try await onStore(kind, "failures") { (store: any Store) async throws in
            let itemID = record("a", sequencer: "01").item.event.itemID
            #expect(try await store.recordFailure(failure("a", sequencer: "01", code: "corrupt")))
            #expect(try await store.recordFailure(failure("a", sequencer: "01", code: "corrupt")), "a replay")
            #expect(try await store.recordedFailure(itemID: itemID, etag: "a")?.upload.errorCode == "corrupt")
            #expect(try await store.recordedFailure(itemID: itemID, etag: "b") == nil)
            // A newer version analysed: the old failure is no longer the item's state.
            let newer = record("b", sequencer: "02")
            #expect(try await store.save(newer) != nil)
            #expect(try await store.recordedFailure(itemID: itemID, etag: "a") == nil)
            #expect(try await store.recordedFailure(itemID: itemID, etag: "b") == nil)
            // The Embedder's failure marks the current version; a stale analysis marks nothing.
            try await store.markFailed(analysisID: newer.analysisID, code: "embeddingFailed", message: "m")
            #expect(try await store.recordedFailure(itemID: itemID, etag: "b")?.upload.errorCode == "embeddingFailed")
            let newest = record("c", sequencer: "03")
            #expect(try await store.save(newest) != nil)
            try await store.markFailed(analysisID: newer.analysisID, code: "embeddingFailed", message: "m")
            #expect(try await store.recordedFailure(itemID: itemID, etag: "c") == nil)
        }
    }

    @Test(arguments: Kind.allCases)
    func savesAreUpserts(kind: Kind) async throws {
        try await onStore(kind, "upserts") { (store: any Store) async throws in
            let first = record("v", sequencer: "05", summary: "first")
            let again = record("v", sequencer: "05", summary: "second")
            #expect(first.analysisID == again.analysisID)
            #expect(try await store.save(first) == first.analysisID)
            #expect(try await store.save(again) == first.analysisID)
            let item = first.item.event
            #expect(
                try await store.existingAnalysis(itemID: item.itemID, etag: "v", model: "m", promptVersion: "p")
                    == first.analysisID)
            #expect(
                try await store.existingAnalysis(itemID: item.itemID, etag: "v", model: "m", promptVersion: "q") == nil)
            #expect(try await store.analyses([first.analysisID]).map(\.analysis.summary) == ["second"])

            let vector: [Float] = (0..<256).map { Float($0) / 256 }
            let embedding = EmbeddingRecord(
                analysisID: first.analysisID, itemID: item.itemID, model: "e", vector: vector, contentHash: "h1",
                totalTokens: 3)
            try await store.save([embedding])
            var changed = embedding
            changed.contentHash = "h2"
            try await store.save([changed])
            #expect(
                try await store.embeddingHashes(analysisIDs: [first.analysisID], model: "e", dimensions: 256)
                    == [first.analysisID: "h2"])
            #expect(
                try await store.embeddingHashes(analysisIDs: [first.analysisID], model: "e", dimensions: 512) == [:])
        }
    }
}
