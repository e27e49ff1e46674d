import Foundation

/// Something that describes an image: Claude in production, ``PixelAnalysisModel`` offline.
public protocol AnalysisModel: Sendable {
    /// The model id stored with each analysis, such as `claude-sonnet-4-5` or `collections-pixels-v1`.
    var modelID: String { get }
    /// The version of the prompt and schema; a new version means a new analysis row.
    var promptVersion: String { get }

    /// Describes one image.
    /// - Parameter image: the analysis rendition (JPEG, long edge at most 1568 px).
    /// - Returns: the analysis, the raw structured output and what it cost.
    func analyze(_ image: AnalysisInput) async throws -> AnalysisOutput
}

/// What an analysis model is shown.
public struct AnalysisInput: Sendable {
    /// The encoded rendition.
    public var data: Data
    /// Its MIME type.
    public var mediaType: String
    /// The original's dimensions, for context the rendition has lost.
    public var originalWidth: Int
    /// The original's height.
    public var originalHeight: Int

    /// Creates an input.
    public init(data: Data, mediaType: String, originalWidth: Int, originalHeight: Int) {
        self.data = data
        self.mediaType = mediaType
        self.originalWidth = originalWidth
        self.originalHeight = originalHeight
    }
}

/// What an analysis model answered.
public struct AnalysisOutput: Sendable {
    /// The validated analysis.
    public var analysis: Analysis
    /// The structured output as the model returned it (stored as `jsonb`).
    public var rawJSON: String
    /// Tokens used.
    public var usage: TokenUsage
    /// The provider's request id, for support tickets.
    public var requestID: String?

    /// Creates an output.
    public init(analysis: Analysis, rawJSON: String, usage: TokenUsage, requestID: String? = nil) {
        self.analysis = analysis
        self.rawJSON = rawJSON
        self.usage = usage
        self.requestID = requestID
    }
}
