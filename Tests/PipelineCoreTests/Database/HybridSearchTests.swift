import Foundation
import PipelineCore
import TestSupport
import Testing

/// Reciprocal rank fusion of the vector and full-text rankings, checked against scores worked
/// out by hand on 60 items whose vector ranks are fixed by their angle to the query.
@Suite(.serialized, .enabled(if: TestEnvironment.databaseEnabled, "needs COLLECTIONS_TEST_DATABASE_URL (scripts/test)"))
struct HybridSearchTests {
    /// Item `v<r>.jpg` lies r degrees from the query, so its vector rank is r (1...60). Three carry
    /// words: lion (rank 3) says "lion" and "okapi" in its summary, zebra (rank 30) says "zebra"
    /// in its summary, okapi (rank 55, user u2) has only the tag "okapi".
    private static func fixtures() -> [SearchFixture] {
        (1...60).map { rank in
            var fixture = SearchFixture(
                key: "u1/v\(rank).jpg", summary: "A photo of a garden.", vector: SearchFixture.angle(Double(rank)))
            switch rank {
            case 3:
                fixture.key = "u1/lion.jpg"
                fixture.summary = "A lion and an okapi."
            case 30:
                fixture.key = "u1/zebra.jpg"
                fixture.summary = "A zebra crossing."
            case 55:
                fixture.key = "u2/okapi.jpg"
                fixture.user = "u2"
                fixture.tags = ["okapi"]
            default: break
            }
            return fixture
        }
    }

    private func query(_ text: String?, _ mode: SearchMode, limit: Int = 5, user: String? = nil) -> SearchQuery {
        SearchQuery(
            vector: SearchFixture.angle(0), model: SearchFixture.model, text: text, filters: .init(userID: user),
            mode: mode, limit: limit)
    }

    @Test func fusionLiftsKeywordMatchesInTheOrderWorkedOutByHand() async throws {
        try await ScratchDatabase.withTemporary("search_hybrid") { database, _ in
            for fixture in Self.fixtures() { try await fixture.insert(into: database) }
            let search = SearchRepository(database: database)

            // Vector alone: ranks 1...5; zebra (30) is nowhere near the page.
            let vector = try await search.search(query(nil, .vector))
            #expect(vector.map(\.objectKey) == ["u1/v1.jpg", "u1/v2.jpg", "u1/lion.jpg", "u1/v4.jpg", "u1/v5.jpg"])
            #expect(vector.map(\.vectorRank) == [1, 2, 3, 4, 5] && vector.allSatisfy { $0.textRank == nil })
            #expect(abs(vector[0].score - 1.0 / 61) < 1e-12)

            // One keyword: zebra, ranked 30 by vector and 1 by text, scores 1/61 + 1/90 and leads.
            let zebra = try await search.search(query("zebra", .hybrid))
            #expect(zebra.map(\.objectKey) == ["u1/zebra.jpg", "u1/v1.jpg", "u1/v2.jpg", "u1/lion.jpg", "u1/v4.jpg"])
            #expect(zebra[0].vectorRank == 30 && zebra[0].textRank == 1)
            #expect(abs(zebra[0].score - (1.0 / 61 + 1.0 / 90)) < 1e-12)

            // Three words, OR'd. Text ranks: lion (two words in the summary, weight A) 1, zebra (one,
            // A) 2, okapi (a tag, weight B) 3. Candidates per half: max(5 x 4, 40) = 40, so okapi
            // (vector rank 55) comes from the text half alone. By hand, with k = 60:
            //   lion  1/(60+3) + 1/(60+1) = 0.032266      zebra 1/(60+30) + 1/(60+2) = 0.027240
            //   v1    1/(60+1)            = 0.016393      v2    1/(60+2)             = 0.016129
            //   okapi 1/(60+3)            = 0.015873      v4    1/(60+4)             = 0.015625
            let words = try await search.search(query("zebra or okapi or lion", .hybrid))
            #expect(
                words.map(\.objectKey) == ["u1/lion.jpg", "u1/zebra.jpg", "u1/v1.jpg", "u1/v2.jpg", "u2/okapi.jpg"])
            #expect(words.map(\.textRank) == [1, 2, nil, nil, 3])
            #expect(words.map(\.vectorRank) == [3, 30, 1, 2, nil])
            let byHand = [1.0 / 63 + 1.0 / 61, 1.0 / 90 + 1.0 / 62, 1.0 / 61, 1.0 / 62, 1.0 / 63]
            for (result, score) in zip(words, byHand) {
                #expect(abs(result.score - score) < 1e-12, "\(result.objectKey): \(result.score) vs \(score)")
            }
            // Every hit has its cosine distance, the text-only okapi too (55 degrees away).
            for result in words {
                let rank = Double(result.objectKey == "u2/okapi.jpg" ? 55 : result.vectorRank ?? 0)
                #expect(abs(result.distance - (1 - cos(rank * .pi / 180))) < 1e-5, "\(result.objectKey)")
            }

            // Text alone ranks by ts_rank_cd and still shows distances; filters hold in the text half.
            let text = try await search.search(query("zebra or okapi or lion", .text))
            #expect(text.map(\.objectKey) == ["u1/lion.jpg", "u1/zebra.jpg", "u2/okapi.jpg"])
            #expect(text.allSatisfy { $0.vectorRank == nil } && text.map(\.textRank) == [1, 2, 3])
            #expect(abs(text[2].distance - (1 - cos(55 * Double.pi / 180))) < 1e-5)
            let mine = try await search.search(query("zebra or okapi or lion", .text, user: "u1"))
            #expect(mine.map(\.objectKey) == ["u1/lion.jpg", "u1/zebra.jpg"])

            // Words that match nothing, or only stop words, leave the vector order and scores.
            for nothing in ["xylophone", "the", "\"unterminated -", "()&|!:*"] {
                let fused = try await search.search(query(nothing, .hybrid))
                #expect(fused == vector, "\(nothing)")
            }
            // Stemming and web-search syntax: "zebras" finds zebra; a phrase must be in order; - excludes.
            #expect(try await search.search(query("zebras", .text)).map(\.objectKey) == ["u1/zebra.jpg"])
            #expect(try await search.search(query("\"okapi and lion\"", .text)).isEmpty)
            #expect(try await search.search(query("okapi -lion", .text)).map(\.objectKey) == ["u2/okapi.jpg"])
        }
    }
}
