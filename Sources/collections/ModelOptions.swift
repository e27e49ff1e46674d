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
            at `collections stand-ins`). Default: api on a running local stack, else offline.
            """)
    var models: Models?

    /// The choice for a command: as given, else `api` when a local stack is in use.
    func resolved(_ context: CommandContext) -> Models {
        models ?? (context.stack != nil ? .api : .offline)
    }

    /// The analysis model.
    func analysisModel(_ context: CommandContext) async throws -> any AnalysisModel {
        let settings = context.settings
        switch resolved(context) {
        case .offline: return PixelAnalysisModel(decoder: VipsPixelDecoder())
        case .api:
            let aws = AWSEnvironment(settings: settings, environment: context.environment)
            return try await AnalysisModels.remote(
                environment: aws.environment, parameters: try aws.parameterStore(client: aws.client()))
        }
    }

    /// The embedding model.
    func embeddingModel(_ context: CommandContext) async throws -> any EmbeddingModel {
        let settings = context.settings
        switch resolved(context) {
        case .offline: return HashingEmbedder(dimensions: settings.embeddingDimensions)
        case .api:
            let aws = AWSEnvironment(settings: settings, environment: context.environment)
            return try await EmbeddingModels.remote(
                environment: aws.environment, parameters: try aws.parameterStore(client: aws.client()))
        }
    }
}
