import Crypto

/// The text Embedder embeds for an analysis, and its content hash.
public enum EmbeddingDocument {
    /// One text from every searchable field of an analysis.
    public static func text(for analysis: Analysis) -> String {
        var parts = [
            "Category: \(analysis.category.rawValue).", analysis.summary, analysis.description,
            "Tags: \(analysis.tags.joined(separator: ", ")).",
        ]
        if !analysis.objects.isEmpty { parts.append("Objects: \(analysis.objects.joined(separator: ", ")).") }
        if !analysis.colors.isEmpty { parts.append("Colors: \(analysis.colors.joined(separator: ", ")).") }
        if !analysis.detectedText.isEmpty { parts.append("Text: \(analysis.detectedText)") }
        return parts.joined(separator: "\n")
    }

    /// A SHA-256 over model, dimensions and text: equal hashes mean the stored vector is current.
    public static func contentHash(text: String, model: String, dimensions: Int) -> String {
        let digest = SHA256.hash(data: Array("\(model)\n\(dimensions)\n\(text)".utf8))
        return digest.hexString
    }
}
