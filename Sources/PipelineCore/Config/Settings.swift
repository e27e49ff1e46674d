import Foundation

/// The pipeline's settings, read from the environment once at start.
///
/// Every variable is optional except where a stage needs it; a malformed value is a
/// ``ConfigurationError`` naming the variable, so a bad deployment fails at start, not per image.
public struct Settings: Sendable {
    /// `DATABASE_URL`: `postgres://user:password@host:port/database`.
    public var databaseURL: String?
    /// Thumbnail, rendition and input-limit settings.
    public var imaging = ImagingOptions()
    /// `COLLECTIONS_THUMBNAIL_PREFIX` (default `thumbnails/`).
    public var thumbnailPrefix = "thumbnails/"
    /// `COLLECTIONS_RENDITION_PREFIX` (default `renditions/`).
    public var renditionPrefix = "renditions/"
    /// `COLLECTIONS_EVENT_BUS_NAME`: where our events go.
    public var eventBusName: String?
    /// `COLLECTIONS_EMBEDDING_DIMENSIONS` (default 1024).
    public var embeddingDimensions = 1024
    /// `COLLECTIONS_LOCAL_ROOT`: a folder standing in for S3 (`<root>/<bucket>/<key>`); unset, the
    /// stage binaries use S3. `collections ingest` defaults it to ``defaultLocalObjectRoot``.
    public var localObjectRoot: String?
    /// `COLLECTIONS_LOCAL_EVENTS`: a folder that receives sent events as files; unset, the stage
    /// binaries use EventBridge.
    public var localEventFolder: String?
    /// `COLLECTIONS_DATABASE_URL_PARAMETER`: an SSM parameter (SecureString) holding the database
    /// URL, read once at start when `DATABASE_URL` is not set.
    public var databaseURLParameter: String?

    /// The local object folder the command-line tool uses when `COLLECTIONS_LOCAL_ROOT` is unset.
    public static let defaultLocalObjectRoot = ".collections/objects"

    /// Reads settings from an environment.
    /// - Throws: ``ConfigurationError`` naming the first malformed variable.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let reader = EnvironmentReader(environment: environment)
        databaseURL = reader.string("DATABASE_URL")
        imaging.thumbnailSize = try reader.integer("COLLECTIONS_THUMBNAIL_SIZE", in: 16...4096) ?? imaging.thumbnailSize
        imaging.quality = try reader.integer("COLLECTIONS_JPEG_QUALITY", in: 1...100) ?? imaging.quality
        imaging.maxInputBytes =
            try reader.integer("COLLECTIONS_MAX_INPUT_BYTES", in: 1...Int.max) ?? imaging.maxInputBytes
        imaging.maxInputPixels =
            try reader.integer("COLLECTIONS_MAX_INPUT_PIXELS", in: 1...Int.max) ?? imaging.maxInputPixels
        if let format = reader.string("COLLECTIONS_THUMBNAIL_FORMAT") {
            guard let value = ImagingOptions.ThumbnailFormat(rawValue: format.lowercased()) else {
                throw ConfigurationError(variable: "COLLECTIONS_THUMBNAIL_FORMAT", problem: "must be jpeg or webp")
            }
            imaging.thumbnailFormat = value
        }
        thumbnailPrefix = try reader.prefix("COLLECTIONS_THUMBNAIL_PREFIX") ?? thumbnailPrefix
        renditionPrefix = try reader.prefix("COLLECTIONS_RENDITION_PREFIX") ?? renditionPrefix
        eventBusName = reader.string("COLLECTIONS_EVENT_BUS_NAME")
        embeddingDimensions =
            try reader.integer("COLLECTIONS_EMBEDDING_DIMENSIONS", in: 16...4096) ?? embeddingDimensions
        localObjectRoot = reader.string("COLLECTIONS_LOCAL_ROOT")
        localEventFolder = reader.string("COLLECTIONS_LOCAL_EVENTS")
        databaseURLParameter = reader.string("COLLECTIONS_DATABASE_URL_PARAMETER")
    }

    /// The database URL, or an error saying how to set it.
    public func requireDatabaseURL() throws -> String {
        guard let databaseURL else {
            throw ConfigurationError(
                variable: "DATABASE_URL", problem: "is not set; use postgres://user:password@host:port/database")
        }
        return databaseURL
    }

    /// The database URL from `DATABASE_URL`, or else from the SSM parameter
    /// `COLLECTIONS_DATABASE_URL_PARAMETER` names.
    /// - Parameter parameters: where to read the parameter (cached by the caller).
    /// - Throws: ``ConfigurationError`` when neither is set, or when the parameter cannot be read.
    public func resolveDatabaseURL(parameters: @autoclosure @Sendable () throws -> any ParameterStore) async throws
        -> String
    {
        if let databaseURL { return databaseURL }
        guard let name = databaseURLParameter else {
            throw ConfigurationError(
                variable: "DATABASE_URL",
                problem:
                    "is not set (nor COLLECTIONS_DATABASE_URL_PARAMETER); use postgres://user:password@host:port/database"
            )
        }
        return try await parameters().setting("COLLECTIONS_DATABASE_URL_PARAMETER", parameter: name)
    }

    /// ImageProcessor's configuration.
    public var imageProcessing: ImageProcessingStage.Configuration {
        var configuration = ImageProcessingStage.Configuration()
        configuration.thumbnailPrefix = thumbnailPrefix
        configuration.renditionPrefix = renditionPrefix
        configuration.eventBusName = eventBusName
        configuration.maxInputBytes = imaging.maxInputBytes
        return configuration
    }

    /// Analyzer's configuration.
    public var analysis: AnalysisStage.Configuration {
        var configuration = AnalysisStage.Configuration()
        configuration.renditionPrefix = renditionPrefix
        configuration.eventBusName = eventBusName
        return configuration
    }

    /// Embedder's configuration.
    public var embedding: EmbeddingStage.Configuration {
        var configuration = EmbeddingStage.Configuration()
        configuration.eventBusName = eventBusName
        return configuration
    }
}

/// A setting that is missing or malformed.
public struct ConfigurationError: Error, CustomStringConvertible {
    /// The environment variable.
    public let variable: String
    /// What is wrong with it.
    public let problem: String

    /// Creates an error.
    public init(variable: String, problem: String) {
        self.variable = variable
        self.problem = problem
    }

    public var description: String { "\(variable) \(problem)" }
}

struct EnvironmentReader {
    let environment: [String: String]

    func string(_ name: String) -> String? {
        guard let value = environment[name]?.trimmingWhitespace(), !value.isEmpty else { return nil }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(
                variable: name,
                problem: "must be an integer from \(range.lowerBound) to \(range.upperBound), not \(quoted(text))")
        }
        return value
    }

    func prefix(_ name: String) throws -> String? {
        guard let text = string(name) else { return nil }
        guard text.hasSuffix("/"), !text.hasPrefix("/") else {
            throw ConfigurationError(
                variable: name, problem: "must end with / and not start with one, like thumbnails/")
        }
        return text
    }
}
