import Foundation

extension BedrockRoute {
    /// Invokes the model with a Messages body and reads the answer as the Claude API's.
    ///
    /// Errors arrive as `x-amzn-ErrorType` with `{"message"}` (API_runtime_InvokeModel.html,
    /// read 2026-12-04): `ThrottlingException` (429), `ServiceUnavailableException` (503),
    /// `ModelNotReadyException` (429), `ModelTimeoutException` (408) and `InternalServerException`
    /// (500) are retried by the client's status rules; `ValidationException` (400),
    /// `AccessDeniedException` (403) and `ResourceNotFoundException` (404) are not. Each becomes a
    /// ``ClaudeError`` carrying the exception name as its `errorType`.
    /// - Throws: ``ClaudeError``.
    func invoke(_ body: Data) async throws -> AnalysisOutput {
        // Model ids hold `:` (`…-v1:0`): the path carries it encoded once, and SigV4 encodes the
        // path again for every service but S3, as AWS's SDKs do.
        let path = "/model/\(SigV4.uriEncode("\(modelID)"))/invoke"
        let request = AWSRequest(
            operation: "InvokeModel", method: "POST", path: path,
            headers: [("content-type", "application/json"), ("accept", "application/json")], body: body)
        let response: AWSResponse
        do {
            response = try await client.send(
                request, service: .bedrockRuntime, endpoint: endpoint, maxResponseBytes: 4 << 20)
        } catch let error as AWSError {
            guard let status = error.status else { throw ClaudeError(.unreachable, "\(error)") }
            throw ClaudeError(
                .apiError, "\(error.code): \(error.message)", status: status, requestID: error.requestID,
                errorType: error.code, retryAfter: error.retryAfter)
        }
        return try ClaudeAnswer.output(from: response.body, requestID: response.header("x-amzn-requestid"))
    }
}
