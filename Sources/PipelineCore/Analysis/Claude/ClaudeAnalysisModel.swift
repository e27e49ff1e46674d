import Foundation
import Logging

/// The ``AnalysisModel`` on the Claude Messages API: the rendition as a base64 image block and the
/// prompt, in the request ``ClaudeRequest`` shapes for the configured model; the answer read by
/// ``ClaudeAnswer`` and validated against ``Analysis``.
public struct ClaudeAnalysisModel: AnalysisModel {
    /// Where and how to call.
    public let configuration: ClaudeConfiguration
    public var modelID: String { configuration.modelID }
    public var promptVersion: String { AnalysisTool.promptVersion }
    private let logger = Logger(label: "claude")

    /// Creates a model client.
    public init(configuration: ClaudeConfiguration) {
        self.configuration = configuration
    }

    /// The media types the Messages API accepts for images.
    public static let mediaTypes: Set<String> = ["image/jpeg", "image/png", "image/gif", "image/webp"]
    /// The largest image the API takes (platform.claude.com/docs/en/build-with-claude/vision, read
    /// 2026-12-04: 5 MB per image on the Messages API through every platform we use).
    public static let maxImageBytes = 5 * 1024 * 1024

    public func analyze(_ image: AnalysisInput) async throws -> AnalysisOutput {
        try Self.check(image)
        if let bedrock = configuration.bedrock {
            return try await bedrock.invoke(try ClaudeRequest.body(image, configuration: configuration))
        }
        let http = RetryingHTTP(policy: configuration.retry, timeout: configuration.timeout)
        let answer: HTTPAnswer
        do {
            answer = try await http.post(
                url: configuration.baseURL + "/v1/messages",
                headers: [
                    ("x-api-key", configuration.apiKey), ("anthropic-version", configuration.apiVersion),
                    ("content-type", "application/json"),
                ],
                body: try ClaudeRequest.body(image, configuration: configuration), logger: logger)
        } catch let error as RetryingHTTP.TransportError {
            throw ClaudeError(.unreachable, error.message)
        }
        let requestID = answer.headers.first(name: "request-id")
        guard answer.status == 200 else {
            let (type, message) = ClaudeAnswer.errorMessage(answer.body)
            throw ClaudeError(
                .apiError, message, status: answer.status, requestID: requestID, errorType: type,
                retryAfter: RetryingHTTP.retryAfter(answer.headers))
        }
        return try ClaudeAnswer.output(from: answer.body, requestID: requestID)
    }

    /// The request JSON this client sends for `image`.
    public func requestBody(_ image: AnalysisInput) throws -> Data {
        try ClaudeRequest.body(image, configuration: configuration)
    }

    /// Refuses, before any call, an image the API documents it would reject: a media type it does
    /// not take, bytes that are not that type or are truncated, or more than 5 MB.
    /// - Throws: ``ClaudeError`` with code `imageRejected`.
    static func check(_ image: AnalysisInput) throws {
        guard mediaTypes.contains(image.mediaType) else {
            throw ClaudeError(.imageRejected, "media type \(image.mediaType) is not one the Messages API accepts")
        }
        guard ImageSniffer.mediaType(of: image.data) == image.mediaType else {
            throw ClaudeError(
                .imageRejected,
                "the rendition's bytes are not \(image.mediaType) (they look like "
                    + "\(ImageSniffer.mediaType(of: image.data) ?? "no image format the API takes"))")
        }
        if let truncation = ImageSniffer.truncation(of: image.data) {
            throw ClaudeError(.imageRejected, "the rendition cannot be sent: \(truncation)")
        }
        guard image.data.count <= maxImageBytes else {
            throw ClaudeError(
                .imageRejected, "the rendition is \(image.data.count) bytes; the API takes at most \(maxImageBytes)")
        }
    }
}
