import Foundation

extension AWSClient {
    /// Calls an operation of a JSON-protocol service (EventBridge, SSM, SQS): `POST /` with the
    /// operation in `X-Amz-Target` and the input as the JSON body.
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
        let operation = String(target.split(separator: ".").last ?? Substring(target))
        let body = try JSONEncoder().encode(input)
        let request = AWSRequest(
            operation: operation, method: "POST", path: "/",
            headers: [("content-type", "application/x-amz-json-\(jsonVersion)"), ("x-amz-target", target)],
            body: body)
        let response = try await send(request, service: service, endpoint: endpoint)
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
