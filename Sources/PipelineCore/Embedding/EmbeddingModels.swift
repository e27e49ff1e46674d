/// Chooses the embedding model Embedder and `collections search` use.
public enum EmbeddingModels {
    /// The Voyage embeddings API client (or a stand-in speaking it).
    /// - Parameters:
    ///   - environment: `VOYAGE_*` and `COLLECTIONS_VOYAGE_*` variables, `COLLECTIONS_EMBEDDING_DIMENSIONS`.
    ///   - parameters: where `COLLECTIONS_VOYAGE_API_KEY_PARAMETER` is read, when set.
    /// - Throws: ``ConfigurationError`` naming a missing or malformed variable.
    public static func remote(
        environment: [String: String], parameters: @autoclosure @Sendable () throws -> any ParameterStore
    ) async throws -> any EmbeddingModel {
        var key: String?
        if environment["VOYAGE_API_KEY"]?.isEmpty ?? true,
            let name = environment["COLLECTIONS_VOYAGE_API_KEY_PARAMETER"], !name.isEmpty
        {
            key = try await parameters().setting("COLLECTIONS_VOYAGE_API_KEY_PARAMETER", parameter: name)
        }
        return VoyageEmbeddingModel(configuration: try VoyageConfiguration(environment: environment, apiKey: key))
    }
}
