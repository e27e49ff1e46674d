import Foundation

/// AWS CloudFormation over its query protocol (`POST /` with a form body naming `Action` and
/// `Version` 2010-05-15; XML answers): what the command-line tool needs to read a deployed
/// stack's outputs.
public struct CloudFormationClient: Sendable {
    /// The signed transport.
    public let client: AWSClient
    /// Where requests go.
    public let endpoint: AWSEndpoint

    /// The API version every query-protocol request names.
    static let apiVersion = "2010-05-15"

    /// Creates a client.
    public init(client: AWSClient, endpoint: AWSEndpoint) {
        self.client = client
        self.endpoint = endpoint
    }

    /// Describes one stack by name or id.
    ///
    /// "If the stack doesn't exist, a `ValidationError` is returned" (DescribeStacks, CloudFormation
    /// API Reference, docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html,
    /// read 2026-12-04): that answer becomes ``CloudFormationError/noSuchStack(_:region:)``. With a
    /// stack name the answer holds one stack, so `NextToken` paging is not needed.
    /// - Throws: ``CloudFormationError`` for a missing stack; ``AWSError`` for any other failure,
    ///   code `MalformedResponse` when the answer is not a DescribeStacks answer.
    public func describeStack(_ name: String) async throws -> StackDescription {
        let request = Self.request("DescribeStacks", ["StackName": name])
        let response: AWSResponse
        do {
            response = try await client.send(request, service: .cloudFormation, endpoint: endpoint)
        } catch let error as AWSError where error.code == "ValidationError" && error.message.contains("does not exist")
        {
            throw CloudFormationError.noSuchStack(name, region: endpoint.region)
        }
        guard let stacks = StackDescription.parseDescribeStacks(response.body) else {
            throw AWSError(
                service: AWSService.cloudFormation.displayName, operation: request.operation, status: response.status,
                code: "MalformedResponse", message: "the answer is not a DescribeStacksResponse",
                requestID: response.header("x-amzn-requestid"))
        }
        guard let stack = stacks.first(where: { $0.name == name || $0.id == name }) ?? stacks.first else {
            throw CloudFormationError.noSuchStack(name, region: endpoint.region)
        }
        return stack
    }

    /// A query-protocol request: the action, the version and the parameters as a form body.
    static func request(_ action: String, _ parameters: [String: String]) -> AWSRequest {
        let fields = [("Action", action), ("Version", apiVersion)] + parameters.sorted { $0.key < $1.key }
        let body = fields.map { SigV4.uriEncode($0.0) + "=" + SigV4.uriEncode($0.1) }.joined(separator: "&")
        return AWSRequest(
            operation: action, method: "POST", path: "/",
            headers: [("content-type", "application/x-www-form-urlencoded; charset=utf-8")], body: Data(body.utf8))
    }
}

/// What went wrong finding a stack.
public enum CloudFormationError: Error, Equatable, CustomStringConvertible {
    /// No stack of that name in that region.
    case noSuchStack(String, region: String)

    public var description: String {
        switch self {
        case .noSuchStack(let name, let region):
            "no CloudFormation stack \(name) in region \(region) (check --stack and AWS_REGION)"
        }
    }
}
