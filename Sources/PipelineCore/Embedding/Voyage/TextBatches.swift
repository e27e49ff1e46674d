/// Splits texts into requests within a count limit and an estimated token limit.
enum TextBatches {
    /// A cautious token estimate: one token per two UTF-8 bytes, at least one. English runs near
    /// four characters a token, so this overestimates; a request the API still finds too large is
    /// split again by ``VoyageEmbeddingModel``.
    static func estimatedTokens(_ text: String) -> Int {
        max(1, (text.utf8.count + 1) / 2)
    }

    /// Consecutive index ranges of `texts`, each within both limits (a single text over the token
    /// limit gets a request of its own; the API truncates it).
    static func plan(_ texts: [String], maxTexts: Int, maxTokens: Int) -> [Range<Int>] {
        var batches: [Range<Int>] = []
        var start = 0
        var tokens = 0
        for (index, text) in texts.enumerated() {
            let cost = estimatedTokens(text)
            if index > start, index - start >= maxTexts || tokens + cost > maxTokens {
                batches.append(start..<index)
                start = index
                tokens = 0
            }
            tokens += cost
        }
        if start < texts.count { batches.append(start..<texts.count) }
        return batches
    }
}
