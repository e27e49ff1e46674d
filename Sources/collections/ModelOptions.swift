import ArgumentParser
import Foundation
import Imaging
import PipelineCore

/// Which analysis and embedding models a command uses.
struct ModelOptions: ParsableArguments {
    /// The two choices.
    enum Models: String, ExpressibleByArgument, CaseIterable {
        /// The pixel model and hashing embedder, in this process.
        case offline
        /// The Claude and Voyage clients: the real APIs, or `collections stand-ins` through
        /// ANTHROPIC_BASE_URL and VOYAGE_BASE_URL.
        case api
    }

    @Option(
        help: """
            offline: the pixel model and hashing embedder in this process. api: the Claude and Voyage \
            clients (ANTHROPIC_API_KEY, VOYAGE_API_KEY; ANTHROPIC_BASE_URL and VOYAGE_BASE_URL point them \
            at `collections stand-ins`).
            """)
    var models: Models = .offline

    /// The analysis model.
    func analysisModel(_ settings: Settings) async throws -> any AnalysisModel {
        switch models {
        case .offline: return PixelAnalysisModel(decoder: VipsPixelDecoder())
        case .api:
            let aws = AWSEnvironment(settings: settings)
            return try await AnalysisModels.remote(
                environment: aws.environment, parameters: try aws.parameterStore(client: aws.client()))
        }
    }

    /// The embedding model.
    func embeddingModel(_ settings: Settings) async throws -> any EmbeddingModel {
        switch models {
        case .offline: return HashingEmbedder(dimensions: settings.embeddingDimensions)
        case .api:
            let aws = AWSEnvironment(settings: settings)
            return try await EmbeddingModels.remote(
                environment: aws.environment, parameters: try aws.parameterStore(client: aws.client()))
        }
    }
}
