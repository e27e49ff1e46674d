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
        let key = try await ParameterSetting.read(
            "VOYAGE_API_KEY", orParameterNamedBy: "COLLECTIONS_VOYAGE_API_KEY_PARAMETER", in: environment,
            parameters: parameters)
        return VoyageEmbeddingModel(configuration: try VoyageConfiguration(environment: environment, apiKey: key))
    }
}
