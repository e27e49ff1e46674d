/// An offline embedding model: a hashed bag of words, L2-normalised.
///
/// Each word (lowercased, with spelling variants folded and a plural `s` dropped) adds its
/// count to one signed dimension chosen by a stable 64-bit FNV-1a hash. Texts that share words
/// point the same way, so a search for "red" finds the items whose analysis says red. It is
/// deterministic across processes and machines, and it is not a language model.
public struct HashingEmbedder: EmbeddingModel {
    public let modelID = "collections-hash-v1"
    public let dimensions: Int
    public let maxBatchSize = 1000

    /// Creates the embedder.
    /// - Parameter dimensions: vector length, at least 16.
    public init(dimensions: Int = 1024) {
        precondition(dimensions >= 16, "HashingEmbedder needs at least 16 dimensions")
        self.dimensions = dimensions
    }

    public func embed(_ texts: [String], as inputType: EmbeddingInputType) async throws -> EmbeddingBatch {
        var tokens = 0
        let vectors = try texts.enumerated().map { index, text in
            // A text of stop words only ("a photo of it") still embeds, from all its words.
            var words = Self.words(in: text)
            if words.isEmpty { words = Self.words(in: text, keepingStopWords: true) }
            guard !words.isEmpty else {
                throw EmbeddingError("text \(index) has no words to embed")
            }
            tokens += words.count
            return vector(for: words)
        }
        return EmbeddingBatch(vectors: vectors, totalTokens: tokens)
    }

    func vector(for words: [String]) -> [Float] {
        var vector = [Float](repeating: 0, count: dimensions)
        for word in words {
            let hash = Self.fnv1a(word)
            let index = Int(hash % UInt64(dimensions))
            vector[index] += hash >> 63 == 0 ? 1 : -1
        }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }

    /// The words of a text as the embedder counts them.
    static func words(in text: String, keepingStopWords: Bool = false) -> [String] {
        text.lowercased()
            .split { !($0.isLetter || $0.isNumber) }
            .map(String.init)
            .filter { keepingStopWords || !stopWords.contains($0) }
            .map(normalize)
    }

    private static func normalize(_ word: String) -> String {
        if let folded = variants[word] { return folded }
        if word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss") { return String(word.dropLast()) }
        return word
    }

    private static let variants = ["grey": "gray", "colour": "color", "colours": "color", "coloured": "colored"]

    private static let stopWords: Set<String> = [
        "a", "an", "and", "the", "of", "in", "on", "at", "by", "for", "with", "to", "is", "are", "it", "its", "this",
        "that", "image", "photo", "picture", "show", "me", "find", "some",
    ]

    static func fnv1a(_ word: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in word.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
