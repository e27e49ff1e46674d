import Foundation

extension AWSClient {
    /// Calls an operation of a JSON-protocol service (EventBridge, SSM, SQS): `POST /` with the
    /// operation in `X-Amz-Target` and the input as the JSON body, retried as ``send(_:service:endpoint:maxResponseBytes:)`` does.
    /// - Parameters:
    ///   - target: such as `AWSEvents.PutEvents`.
    ///   - input: the operation's input.
    ///   - jsonVersion: `1.1` for EventBridge and SSM, `1.0` for SQS.
    /// - Returns: the output, decoded.
    /// - Throws: ``AWSError``; code `MalformedResponse` when the answer does not decode.
    public func callJSON<Input: Encodable, Output: Decodable>(
        _ target: String, input: Input, as output: Output.Type, service: AWSService, endpoint: AWSEndpoint,
        jsonVersion: String = "1.1"
    ) async throws -> Output {
        let request = try Self.jsonRequest(target, input: input, jsonVersion: jsonVersion)
        let response = try await send(request, service: service, endpoint: endpoint)
        return try Self.decode(Output.self, from: response, service: service, operation: request.operation)
    }

    /// One attempt of ``callJSON(_:input:as:service:endpoint:jsonVersion:)``, for callers that run
    /// their own ``Retrier`` loop (EventBridge re-sends only the entries that failed).
    func callJSONOnce<Input: Encodable, Output: Decodable>(
        _ target: String, input: Input, as output: Output.Type, service: AWSService, endpoint: AWSEndpoint,
        timeout: Duration, jsonVersion: String = "1.1"
    ) async throws -> Output {
        let request = try Self.jsonRequest(target, input: input, jsonVersion: jsonVersion)
        let response = try await sendOnce(
            request, service: service, endpoint: endpoint, maxResponseBytes: 1 << 20, timeout: timeout)
        return try Self.decode(Output.self, from: response, service: service, operation: request.operation)
    }

    private static func jsonRequest<Input: Encodable>(
        _ target: String, input: Input, jsonVersion: String
    ) throws -> AWSRequest {
        AWSRequest(
            operation: String(target.split(separator: ".").last ?? Substring(target)), method: "POST", path: "/",
            headers: [("content-type", "application/x-amz-json-\(jsonVersion)"), ("x-amz-target", target)],
            body: try JSONEncoder().encode(input))
    }

    private static func decode<Output: Decodable>(
        _ type: Output.Type, from response: AWSResponse, service: AWSService, operation: String
    ) throws -> Output {
        do {
            return try JSONDecoder().decode(Output.self, from: response.body.isEmpty ? Data("{}".utf8) : response.body)
        } catch {
            throw AWSError(
                service: service.displayName, operation: operation, status: response.status,
                code: "MalformedResponse", message: "the answer does not decode: \(error)",
                requestID: response.header("x-amzn-requestid"))
        }
    }
}
