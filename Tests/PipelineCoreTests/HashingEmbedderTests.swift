import PipelineCore
import Testing

@Suite struct HashingEmbedderTests {
    let embedder = HashingEmbedder(dimensions: 256)

    private func cosine(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    }

    @Test func vectorsAreUnitLengthOfTheConfiguredDimension() async throws {
        let batch = try await embedder.embed(["a red bicycle", "Blue sky over the sea", "x"], as: .document)
        for vector in batch.vectors {
            #expect(vector.count == 256)
            #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
        }
        #expect(batch.totalTokens == 7)
    }

    @Test func isDeterministic() async throws {
        let first = try await embedder.embed(["green meadow"], as: .document).vectors
        let second = try await HashingEmbedder(dimensions: 256).embed(["green meadow"], as: .query).vectors
        #expect(first == second)
    }

    @Test func sharedWordsMeanCloserVectors() async throws {
        let vectors = try await embedder.embed(
            ["A vivid image dominated by red and orange.", "A bright image dominated by blue and white.", "red"],
            as: .document
        ).vectors
        #expect(cosine(vectors[2], vectors[0]) > cosine(vectors[2], vectors[1]) + 0.2)
    }

    @Test func foldsSpellingsAndPlurals() async throws {
        let vectors = try await embedder.embed(["grey colours", "gray color"], as: .document).vectors
        #expect(abs(cosine(vectors[0], vectors[1]) - 1) < 1e-5)
    }

    @Test func refusesTextWithoutWords() async {
        await #expect(throws: EmbeddingError.self) { try await embedder.embed(["ok", " ,.; "], as: .document) }
    }

    @Test func embedsATextOfStopWordsFromAllItsWords() async throws {
        let vectors = try await embedder.embed(["a photo", "the it of", "a photo"], as: .query).vectors
        #expect(vectors[0] == vectors[2] && vectors[0] != vectors[1])
        #expect(abs(vectors[1].reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
    }
}
